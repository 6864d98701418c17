package io.latchkey.cloud.booking;

import io.micronaut.serde.annotation.Serdeable;
import java.time.Instant;

/** A borrower's reservation of a car for {@code [start, end)}. */
@Serdeable
public record Booking(String id, String carId, String userId, Instant start, Instant end, Instant createdAt) {

    public boolean covers(Instant instant) {
        return !instant.isBefore(start) && instant.isBefore(end);
    }

    public boolean overlaps(Instant otherStart, Instant otherEnd) {
        return otherStart.isBefore(end) && start.isBefore(otherEnd);
    }
}
