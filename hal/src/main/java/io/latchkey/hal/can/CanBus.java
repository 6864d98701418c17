package io.latchkey.hal.can;

import io.latchkey.hal.Registration;

import java.util.function.Consumer;

/**
 * A CAN bus as seen from one node: frames from the other nodes arrive at the listeners, frames the agent
 * sends go out. Implementations: {@code SocketCanBus} on Linux, {@link SimulatedCanBus} for the
 * simulator and tests.
 */
public interface CanBus extends AutoCloseable {
    /**
     * Queues a frame for transmission. Throws {@link CanException} if the bus is closed or the
     * interface refuses the frame (bus off, queue full).
     */
    void send(CanFrame frame);

    /**
     * Called for every frame received, on the bus's receive thread, in arrival order. Listeners must
     * be quick; a listener that throws is logged and skipped, and does not stop reception.
     */
    Registration addListener(Consumer<CanFrame> listener);

    /** Stops reception and releases the interface. Idempotent. */
    @Override
    void close();
}
