package io.latchkey.cloud.command;

import io.latchkey.protocol.command.CommandOutcome;

/** Where a command stands in the backend's record. */
public enum CommandStatus {
    /** Published; no answer yet. */
    PENDING,
    /** The broker did not take it; the car cannot have seen it. */
    NOT_SENT,
    /** No answer within its lifetime; it has expired, so the car will refuse it if it arrives late. */
    TIMED_OUT,
    EXECUTED,
    REJECTED,
    FAILED;

    public boolean isAnswer() {
        return this == EXECUTED || this == REJECTED || this == FAILED;
    }

    static CommandStatus of(CommandOutcome outcome) {
        return switch (outcome) {
            case EXECUTED -> EXECUTED;
            case REJECTED -> REJECTED;
            case FAILED -> FAILED;
        };
    }
}
