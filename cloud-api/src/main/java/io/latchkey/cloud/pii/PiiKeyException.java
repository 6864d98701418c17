package io.latchkey.cloud.pii;

import io.latchkey.cloud.UnavailableException;

/**
 * A user's personal data cannot be opened: their data key is missing (destroyed, or the secret store is not the
 * one the data was written with) or does not open it (another tenant key, or the value was tampered with). The
 * message names the tenant and user id only, never a value: 503 with that message, no crash report.
 */
public class PiiKeyException extends UnavailableException {
    public PiiKeyException(String message, Throwable cause) {
        super(message, cause);
    }
}
