package io.latchkey.hal.lock;

import io.latchkey.hal.Registration;

import java.util.function.Consumer;

/**
 * The car's central locking as the agent drives it: pulses on the lock and unlock relays, and the
 * state read back from feedback. A pulse says nothing about the result; callers confirm through
 * {@link #state()}.
 */
public interface DoorLocks {
    /** Pulses the unlock relay once. Throws {@link io.latchkey.hal.HalException} if the relay cannot be driven. */
    void pulseUnlock();

    /** Pulses the lock relay once. Throws {@link io.latchkey.hal.HalException} if the relay cannot be driven. */
    void pulseLock();

    /** The state from the feedback input, never from what was last pulsed. */
    LockState state();

    /** Called on every feedback change. */
    Registration addListener(Consumer<LockState> listener);
}
