package io.latchkey.cloud.booking;

import io.latchkey.cloud.ConflictException;
import io.latchkey.cloud.InvalidRequestException;
import io.latchkey.cloud.car.CarRegistry;
import io.latchkey.cloud.store.JsonCollection;
import io.latchkey.cloud.store.Stores;
import jakarta.inject.Singleton;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.function.Predicate;

/** Books cars and answers whether a user's booking covers a moment. */
@Singleton
public class BookingService {
    static final Duration MAX_LENGTH = Duration.ofDays(31);

    private final Stores stores;
    private final CarRegistry cars;
    private final SecureRandom random;
    private final Clock clock;

    public BookingService(Stores stores, CarRegistry cars, SecureRandom random, Clock clock) {
        this.stores = stores;
        this.cars = cars;
        this.random = random;
        this.clock = clock;
    }

    /**
     * @throws io.latchkey.cloud.NotFoundException for an unknown car
     * @throws InvalidRequestException             if end is not after start, lies in the past, or is too long
     * @throws ConflictException                   if another booking of the car overlaps
     */
    public Booking book(String tenant, String userId, String carId, Instant start, Instant end) {
        if (carId == null) {
            throw new InvalidRequestException("carId is required");
        }
        if (start == null || end == null) {
            throw new InvalidRequestException("start and end are required (ISO-8601 instants)");
        }
        cars.require(tenant, carId);
        if (!end.isAfter(start)) {
            throw new InvalidRequestException("end must be after start");
        }
        if (!end.isAfter(clock.instant())) {
            throw new InvalidRequestException("end must be in the future");
        }
        if (Duration.between(start, end).compareTo(MAX_LENGTH) > 0) {
            throw new InvalidRequestException("a booking may last at most " + MAX_LENGTH.toDays() + " days");
        }
        Booking booking = new Booking("b-" + HexFormat.of().toHexDigits(random.nextLong()), carId, userId, start, end,
                clock.instant());
        bookingsOf(tenant).upsert(carId, CarBookings.EMPTY, current -> {
            if (current.bookings().stream().anyMatch(b -> b.overlaps(start, end))) {
                throw new ConflictException("car " + carId + " is already booked for part of that time");
            }
            return current.with(booking);
        });
        return booking;
    }

    public boolean coversNow(String tenant, String carId, String userId) {
        Instant now = clock.instant();
        return bookingsOf(tenant).get(carId).orElse(CarBookings.EMPTY).bookings().stream()
                .anyMatch(b -> b.userId().equals(userId) && b.covers(now));
    }

    public List<Booking> ofUser(String tenant, String userId) {
        return matching(tenant, b -> b.userId().equals(userId));
    }

    public List<Booking> all(String tenant) {
        return matching(tenant, b -> true);
    }

    private List<Booking> matching(String tenant, Predicate<Booking> filter) {
        return bookingsOf(tenant).all().stream()
                .flatMap(c -> c.bookings().stream())
                .filter(filter)
                .sorted(Comparator.comparing(Booking::start))
                .toList();
    }

    private JsonCollection<CarBookings> bookingsOf(String tenant) {
        return new JsonCollection<>(stores.tenant(tenant), "car-bookings", CarBookings.class);
    }
}
