package io.latchkey.cloud.rental;

import io.latchkey.cloud.booking.Booking;
import io.latchkey.cloud.telemetry.Trip;
import io.latchkey.cloud.telemetry.Trips;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * What a rental came to: from the first unlock ({@code startedAt}) to the end the car confirmed ({@code endedAt}),
 * and the trips that started in between ({@link Trips#within}). Only what the borrower may see anyway: their booking,
 * the car's name and plate, the trips of their rental (as {@code GET /t/{tenant}/bookings/{id}/trips} shows them).
 *
 * @param durationS   {@code endedAt - startedAt}, seconds
 * @param distanceKm  summed over the trips: odometer where the car has one, else the GPS path
 * @param drivingS    summed duration of the trips
 * @param fuelUsedPct percentage points of the tank, over the trips that report fuel; null when none does
 * @param socUsedPct  percentage points of charge, over the trips that report it; null when none does
 * @param overdue     the rental ran past its booked end (it was marked overdue)
 * @param trips       the trips, without their paths
 */
@Serdeable
public record Receipt(String bookingId, String carId, String car, Instant startedAt, Instant endedAt, long durationS,
                      double distanceKm, int tripCount, long drivingS, @Nullable Double maxSpeedKmh,
                      @Nullable Double fuelUsedPct, @Nullable Double socUsedPct, boolean overdue, List<Trip> trips) {

    static Receipt of(Booking ended, String car, Trips.TripTotals totals) {
        Instant from = ended.startedAt() != null ? ended.startedAt() : ended.start();
        Instant to = ended.endedAt() != null ? ended.endedAt() : from;
        return new Receipt(ended.id(), ended.carId(), car, from, to, Duration.between(from, to).toSeconds(),
                totals.distanceKm(), totals.count(), totals.durationS(), totals.maxSpeedKmh(), totals.fuelUsedPct(),
                totals.socUsedPct(), ended.overdue(), totals.trips());
    }

    /** {@code 1 h 05 min}, {@code 12 min}: how the mail shows a duration. */
    static String describe(long seconds) {
        long minutes = Math.round(seconds / 60.0);
        return minutes >= 60 ? (minutes / 60) + " h " + String.format("%02d", minutes % 60) + " min" : minutes + " min";
    }
}
