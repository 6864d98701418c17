package io.latchkey.cloud.booking;

import io.latchkey.cloud.car.Car;
import io.latchkey.cloud.car.CarRegistry;
import io.latchkey.cloud.mqtt.BackendMqttClient;
import io.latchkey.cloud.tenant.Tenant;
import io.latchkey.cloud.tenant.TenantDirectory;
import io.latchkey.protocol.Channel;
import io.latchkey.protocol.Json;
import io.latchkey.protocol.Topic;
import io.latchkey.protocol.telemetry.NextBooking;
import io.micronaut.scheduling.annotation.Scheduled;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells each car when its next booking starts, so that a car asleep to save its battery wakes ahead of it
 * (docs/agent.md, power states; docs/protocol.md, {@code booking}): every {@code latchkey.bookings.next-booking-interval}
 * (1 minute), for each car, the earliest start among its confirmed bookings not yet over, published retained on the
 * car's {@code booking} channel when it differs from what this replica published last (every replica may publish; the
 * value is the same). A car learns of it when it is online; one asleep hears it at its next wake, and wakes ahead of the
 * booking from then on. The start is no secret from the car, and nothing else about the booking is sent.
 */
@Singleton
public class NextBookings {
    private static final Logger LOG = LoggerFactory.getLogger(NextBookings.class);

    private final TenantDirectory tenants;
    private final CarRegistry cars;
    private final BookingService bookings;
    private final BackendMqttClient mqtt;
    private final Clock clock;
    private final Map<String, Optional<Instant>> published = new ConcurrentHashMap<>();

    public NextBookings(TenantDirectory tenants, CarRegistry cars, BookingService bookings, BackendMqttClient mqtt, Clock clock) {
        this.tenants = tenants;
        this.cars = cars;
        this.bookings = bookings;
        this.mqtt = mqtt;
        this.clock = clock;
    }

    @Scheduled(fixedDelay = "${latchkey.bookings.next-booking-interval:1m}", initialDelay = "${latchkey.bookings.next-booking-interval:1m}")
    void scheduled() {
        try {
            publishAll();
        } catch (RuntimeException e) {
            LOG.warn("next bookings not published: {}", e.toString());
        }
    }

    /** One pass over every tenant's cars; how many cars were sent a new value. */
    public int publishAll() {
        int sent = 0;
        Instant now = clock.instant();
        for (Tenant tenant : tenants.all()) {
            try {
                List<Booking> all = bookings.all(tenant.id());
                // the car ids are listed; a car's document (its device) is read only when its value is to be sent,
                // not every car's on every pass (at 10,000 cars, 10,000 reads a minute on each replica)
                // the cars listed for sweeps (CarRegistry.idsForSweeps: a listing reused for minutes) and every car
                // with a booking, so a booking of a car registered moments ago on another replica is sent at once
                java.util.SortedSet<String> carIds = new java.util.TreeSet<>(cars.idsForSweeps(tenant.id()));
                all.forEach(b -> carIds.add(b.carId()));
                for (String carId : carIds) {
                    Instant start = nextStart(all, carId, now);
                    if (Objects.equals(published.get(tenant.id() + "/" + carId), Optional.ofNullable(start))) {
                        continue;
                    }
                    Optional<Car> car = cars.find(tenant.id(), carId);
                    if (car.isPresent() && car.get().deviceId() != null && publish(tenant.id(), car.get(), start, now)) {
                        sent++;
                    }
                }
            } catch (RuntimeException e) {
                LOG.warn("could not publish the next bookings of tenant {}: {}", tenant.id(), e.toString());
            }
        }
        return sent;
    }

    /** The earliest start among the car's confirmed bookings that have not ended by {@code now}; null if none. */
    static Instant nextStart(List<Booking> bookings, String carId, Instant now) {
        return bookings.stream()
                .filter(b -> b.carId().equals(carId))
                .filter(b -> b.state() == null || b.state() == Booking.State.CONFIRMED)
                .filter(b -> b.end().isAfter(now))
                .map(Booking::start)
                .min(Instant::compareTo)
                .orElse(null);
    }

    private boolean publish(String tenant, Car car, Instant start, Instant now) {
        String key = tenant + "/" + car.id();
        Optional<Instant> value = Optional.ofNullable(start);
        if (Objects.equals(published.get(key), value)) {
            return false;
        }
        mqtt.publishRetained(Topic.of(tenant, car.deviceId(), Channel.BOOKING), Json.write(new NextBooking(car.deviceId(), start, now)))
                .whenComplete((ok, e) -> {
                    if (e == null) {
                        published.put(key, value);
                    } else {
                        LOG.debug("next booking of car {} of tenant {} not published: {}", car.id(), tenant, e.toString());
                    }
                });
        return true;
    }
}
