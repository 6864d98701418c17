package io.latchkey.hal.lock;

/** Central locking as the feedback reports it. */
public enum LockState {
    LOCKED,
    UNLOCKED,
    /** No feedback, or feedback that contradicts itself. */
    UNKNOWN
}
