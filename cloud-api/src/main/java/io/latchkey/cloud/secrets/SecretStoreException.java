package io.latchkey.cloud.secrets;

import io.latchkey.cloud.LatchkeyCloudException;

/** The secret store cannot be read or written, or its content does not decrypt (wrong master key, tampering). */
public class SecretStoreException extends LatchkeyCloudException {
    public SecretStoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
