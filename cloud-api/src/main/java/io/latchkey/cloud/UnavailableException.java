package io.latchkey.cloud;

/** A dependency (broker, store) cannot be reached right now (503). */
public class UnavailableException extends LatchkeyCloudException {
    public UnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
