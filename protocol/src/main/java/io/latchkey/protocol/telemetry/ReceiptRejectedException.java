package io.latchkey.protocol.telemetry;

import io.latchkey.protocol.ProtocolException;

/** A message on the receipt channel that must not release anything from the journal, and why. */
public class ReceiptRejectedException extends ProtocolException {
    /** Why a receipt was refused. */
    public enum Reason {
        MALFORMED,
        UNKNOWN_KEY,
        BAD_SIGNATURE,
        WRONG_TENANT,
        WRONG_DEVICE
    }

    private final Reason reason;

    public ReceiptRejectedException(Reason reason, String message) {
        super(reason + ": " + message);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
