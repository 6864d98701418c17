package io.latchkey.cloud;

/** An unknown tenant, car, booking or user (404). */
public class NotFoundException extends LatchkeyCloudException {
    public NotFoundException(String message) {
        super(message);
    }
}
