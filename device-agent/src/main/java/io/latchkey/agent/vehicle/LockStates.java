package io.latchkey.agent.vehicle;

import io.latchkey.protocol.LockState;

/** Maps the HAL's lock state to the wire's; the two enums are kept apart so the HAL has no protocol dependency. */
public final class LockStates {
    private LockStates() {
    }

    public static LockState toWire(io.latchkey.hal.lock.LockState state) {
        if (state == null) {
            return LockState.UNKNOWN;
        }
        return switch (state) {
            case LOCKED -> LockState.LOCKED;
            case UNLOCKED -> LockState.UNLOCKED;
            case UNKNOWN -> LockState.UNKNOWN;
        };
    }
}
