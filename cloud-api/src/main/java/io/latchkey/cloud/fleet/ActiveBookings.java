package io.latchkey.cloud.fleet;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import java.time.Instant;
import java.util.Map;

/**
 * The booking of each car that covers now, from memory (the fleet view and the live stream ask for every car on
 * every call; no store read per car), filled by {@link BookingsNow} from {@code BookingService}.
 */
public interface ActiveBookings {

    /**
     * A booking covering now, as the fleet shows it.
     *
     * @param state   {@code CONFIRMED} (not started at the car yet) or {@code ACTIVE} (rental started)
     * @param overdue an {@code ACTIVE} rental past its end with the car still out
     */
    @Serdeable
    record ActiveBooking(String id, String userId, Instant start, Instant end, String state, boolean overdue) {
    }

    /** The booking covering {@code now} per car id of the tenant; cars without one are absent. */
    Map<String, ActiveBooking> coveringNow(String tenant);

    /** The booking covering now of one car, or null. */
    @Nullable
    ActiveBooking coveringNow(String tenant, String carId);
}
