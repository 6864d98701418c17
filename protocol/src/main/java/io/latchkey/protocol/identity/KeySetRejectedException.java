package io.latchkey.protocol.identity;

import io.latchkey.protocol.ProtocolException;

/** A key set the device does not take: older or replayed, signed by a key it does not trust, or another tenant's. */
public final class KeySetRejectedException extends ProtocolException {
    public KeySetRejectedException(String message) {
        super(message);
    }
}
