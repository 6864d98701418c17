package io.latchkey.cloud;

/** A missing or invalid field; the message names it (400). */
public class InvalidRequestException extends LatchkeyCloudException {
    public InvalidRequestException(String message) {
        super(message);
    }
}
