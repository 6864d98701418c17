package io.latchkey.cloud;

/**
 * Root of everything the cloud API throws on purpose. The HTTP layer maps each subclass to a status
 * and an RFC 9457 problem body; the message is shown to the caller, so it never holds a secret.
 */
public class LatchkeyCloudException extends RuntimeException {
    public LatchkeyCloudException(String message) {
        super(message);
    }

    public LatchkeyCloudException(String message, Throwable cause) {
        super(message, cause);
    }
}
