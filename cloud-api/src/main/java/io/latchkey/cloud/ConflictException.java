package io.latchkey.cloud;

/** The request clashes with the current state: a taken e-mail, an overlapping booking (409). */
public class ConflictException extends LatchkeyCloudException {
    public ConflictException(String message) {
        super(message);
    }
}
