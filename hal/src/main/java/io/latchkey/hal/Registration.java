package io.latchkey.hal;

/**
 * A listener registration. Closing it detaches the listener, so that a component that is stopped and
 * rebuilt on the same hardware (an agent restarted after a power loss) leaves nothing attached.
 * Closing twice is harmless.
 */
@FunctionalInterface
public interface Registration extends AutoCloseable {
    /** A registration with nothing to detach, for sources that never call back. */
    Registration NONE = () -> { };

    @Override
    void close();
}
