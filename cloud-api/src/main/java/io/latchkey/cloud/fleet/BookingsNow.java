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
 * {@link ActiveBookings} from {@link BookingService}: the tenant's open bookings ({@code CONFIRMED} or {@code ACTIVE}),
 * read at most every {@link LiveConfig#snapshotRefresh} (in the background after the first read), and at each call
 * the one that gives its borrower the car now ({@link Booking#givesAccessAt}, the rule {@code CarAccess} applies).
 * A booking made, cancelled or started a moment ago shows after the next refresh; one that reached its end (or
 * the end of an immediate reservation's hold) stops at once, as the rule is applied to the clock at each call.
 */
@Singleton
public class BookingsNow implements ActiveBookings {
    private final Clock clock;
    private final TenantSnapshots<Map<String, List<Booking>>> snapshots;

    public BookingsNow(BookingService bookings, Clock clock, LiveConfig config, @Named(TaskExecutors.IO) ExecutorService io) {
        this.clock = clock;
        this.snapshots = new TenantSnapshots<>(tenant -> {
            Instant now = clock.instant();
            return bookings.all(tenant).stream().filter(b -> b.state().open() && (b.end().isAfter(now) || b.overdue()))
                    .collect(Collectors.groupingBy(Booking::carId));
        }, config.snapshotRefresh(), io);
    }

    @Override
    public Map<String, ActiveBooking> coveringNow(String tenant) {
        Instant now = clock.instant();
        Map<String, ActiveBooking> covering = new HashMap<>();
        snapshots.get(tenant).forEach((carId, ofCar) -> {
            for (Booking b : ofCar) {
                if (b.givesAccessAt(now)) {
                    covering.put(carId, active(b));
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
            if (b.givesAccessAt(now)) {
                return active(b);
            }
        }
        return null;
    }

    private static ActiveBooking active(Booking b) {
        return new ActiveBooking(b.id(), b.userId(), b.start(), b.end(), b.state().name(), b.overdue());
    }
}
