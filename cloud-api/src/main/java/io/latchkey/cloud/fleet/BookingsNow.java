package io.latchkey.cloud.fleet;

import io.latchkey.cloud.booking.Booking;
import io.latchkey.cloud.booking.BookingService;
import io.latchkey.cloud.live.LiveConfig;
import io.micronaut.scheduling.TaskExecutors;
import jakarta.inject.Named;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.stream.Collectors;

/**
 * {@link ActiveBookings} from today's {@link BookingService}: the tenant's bookings that have not ended, read at
 * most every {@link LiveConfig#snapshotRefresh} (in the background after the first read), and at each call the
 * one covering now per car. A booking made a moment ago shows after the next refresh; one that reached its end
 * stops covering at once (the window is checked against the clock at each call).
 */
@Singleton
public class BookingsNow implements ActiveBookings {
    private final Clock clock;
    private final TenantSnapshots<Map<String, List<Booking>>> snapshots;

    public BookingsNow(BookingService bookings, Clock clock, LiveConfig config, @Named(TaskExecutors.IO) ExecutorService io) {
        this.clock = clock;
        this.snapshots = new TenantSnapshots<>(tenant -> {
            Instant now = clock.instant();
            return bookings.all(tenant).stream().filter(b -> b.end().isAfter(now))
                    .collect(Collectors.groupingBy(Booking::carId));
        }, config.snapshotRefresh(), io);
    }

    @Override
    public Map<String, ActiveBooking> coveringNow(String tenant) {
        Instant now = clock.instant();
        Map<String, ActiveBooking> covering = new HashMap<>();
        snapshots.get(tenant).forEach((carId, ofCar) -> {
            for (Booking b : ofCar) {
                if (b.covers(now)) {
                    // INTEGRATION: with booking states, take the state from the booking and skip CANCELLED, ENDED
                    // and NO_SHOW ones here
                    covering.put(carId, new ActiveBooking(b.id(), b.userId(), b.start(), b.end(), null));
                    break;
                }
            }
        });
        return covering;
    }

    @Override
    public ActiveBooking coveringNow(String tenant, String carId) {
        Instant now = clock.instant();
        for (Booking b : snapshots.get(tenant).getOrDefault(carId, List.of())) {
            if (b.covers(now)) {
                return new ActiveBooking(b.id(), b.userId(), b.start(), b.end(), null);
            }
        }
        return null;
    }
}
