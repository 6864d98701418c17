package io.latchkey.protocol.command;

import io.latchkey.protocol.ProtocolException;

/** A signed command the device must not execute, and why. */
public class CommandRejectedException extends ProtocolException {
    /** Why a command was refused. The names appear in acknowledgements. */
    public enum Reason {
        MALFORMED,
        UNKNOWN_KEY,
        BAD_SIGNATURE,
        WRONG_TENANT,
        WRONG_DEVICE,
        NOT_YET_VALID,
        EXPIRED,
        REPLAYED,
        UNSAFE
    }

    private final Reason reason;

    public CommandRejectedException(Reason reason, String message) {
        super(reason + ": " + message);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
