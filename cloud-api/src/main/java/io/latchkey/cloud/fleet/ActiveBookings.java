package io.latchkey.cloud.fleet;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import java.time.Instant;
import java.util.Map;

/**
 * The booking of each car that covers now, from memory (the fleet view and the live stream ask for every car on
 * every call; no store read per car). Today {@link BookingsNow} fills it from {@code BookingService}.
 */
public interface ActiveBookings {

    /**
     * A booking covering now, as the fleet shows it.
     *
     * @param state the booking's state ({@code CONFIRMED}, {@code ACTIVE}, ...) once bookings have states; null before
     */
    @Serdeable
    record ActiveBooking(String id, String userId, Instant start, Instant end, @Nullable String state) {
        public boolean covers(Instant instant) {
            return !instant.isBefore(start) && instant.isBefore(end);
        }
    }

    /** The booking covering {@code now} per car id of the tenant; cars without one are absent. */
    Map<String, ActiveBooking> coveringNow(String tenant);

    /** The booking covering now of one car, or null. */
    @Nullable
    ActiveBooking coveringNow(String tenant, String carId);
}
