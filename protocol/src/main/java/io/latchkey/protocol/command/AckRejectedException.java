package io.latchkey.protocol.command;

import io.latchkey.protocol.ProtocolException;

/** An acknowledgement that does not prove it comes from the device it names, and why. */
public class AckRejectedException extends ProtocolException {
    /** Why an acknowledgement was refused; the names are metric tags. */
    public enum Reason {
        /** not a signed envelope, not base64url, not an acknowledgement (an unsigned ack among them) */
        MALFORMED,
        /** the device has no active, unrevoked certificate whose key could have signed it */
        UNKNOWN_KEY,
        BAD_SIGNATURE,
        WRONG_TENANT,
        WRONG_DEVICE,
        /** no command id, or not the command it claims to answer */
        WRONG_COMMAND
    }

    private final Reason reason;

    public AckRejectedException(Reason reason, String message) {
        super(reason + ": " + message);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
