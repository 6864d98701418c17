package io.latchkey.cloud;

import java.time.Duration;

/**
 * A dependency (broker, store) cannot be reached right now, or the car is asleep (503). With {@link #retryAfter()},
 * the answer carries a {@code Retry-After} header: when it is worth asking again.
 */
public class UnavailableException extends LatchkeyCloudException {
    private final Duration retryAfter;

    public UnavailableException(String message, Throwable cause) {
        this(message, cause, null);
    }

    public UnavailableException(String message, Throwable cause, Duration retryAfter) {
        super(message, cause);
        this.retryAfter = retryAfter;
    }

    /** When to try again, or null if nobody knows. */
    public Duration retryAfter() {
        return retryAfter;
    }
}
