package io.latchkey.protocol;

/** The car's central-locking state as reported by the car, read from feedback, never assumed. */
public enum LockState {
    LOCKED,
    UNLOCKED,
    UNKNOWN
}
