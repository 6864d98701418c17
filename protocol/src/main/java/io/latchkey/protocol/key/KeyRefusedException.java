package io.latchkey.protocol.key;

import io.latchkey.protocol.ProtocolException;

/** A presented key the car will not act on, with the reason it logs and answers (docs/offline-keys.md §9). */
public final class KeyRefusedException extends ProtocolException {
    public enum Reason {
        MALFORMED, UNKNOWN_SIGNER, BAD_CREDENTIAL_SIGNATURE, WRONG_TENANT, WRONG_DEVICE, NOT_YET_VALID, EXPIRED,
        TIME_UNKNOWN, NO_RIGHT, WIDER_THAN_PARENT, REVOKED, BAD_HOLDER_SIGNATURE, REPLAYED, STALE_PRESENTATION
    }

    private final Reason reason;

    public KeyRefusedException(Reason reason, String detail) {
        super(reason + ": " + detail);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
