package io.latchkey.cloud;

/** An authenticated caller whose role or booking does not allow the action; the message says why (403). */
public class ForbiddenException extends LatchkeyCloudException {
    public ForbiddenException(String message) {
        super(message);
    }
}
