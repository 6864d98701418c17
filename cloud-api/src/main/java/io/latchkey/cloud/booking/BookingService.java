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
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.function.Predicate;

/** Books cars and answers whether a user's booking covers a moment. */
@Singleton
public class BookingService {
    private final Stores stores;
    private final CarRegistry cars;
    private final BookingsConfig limits;
    private final SecureRandom random;
    private final Clock clock;

    public BookingService(Stores stores, CarRegistry cars, BookingsConfig limits, SecureRandom random, Clock clock) {
        this.stores = stores;
        this.cars = cars;
        this.limits = limits;
        this.random = random;
        this.clock = clock;
    }

    /**
     * @throws io.latchkey.cloud.NotFoundException for an unknown car
     * @throws InvalidRequestException             if end is not after start, lies in the past, the booking is too
     *                                             long, starts too far ahead or too far back ({@link BookingsConfig})
     * @throws ConflictException                   if another booking of the car overlaps, or the borrower already
     *                                             holds as many open bookings as allowed
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
        Instant now = clock.instant();
        if (Duration.between(start, end).compareTo(limits.maxLength()) > 0) {
            throw new InvalidRequestException("a booking may last at most " + BookingsConfig.describe(limits.maxLength()));
        }
        if (start.isBefore(now.minus(limits.maxBackdate()))) {
            throw new InvalidRequestException("start may lie at most " + BookingsConfig.describe(limits.maxBackdate())
                    + " in the past");
        }
        if (start.isAfter(now.plus(limits.maxAdvance()))) {
            throw new InvalidRequestException("start may lie at most " + BookingsConfig.describe(limits.maxAdvance())
                    + " ahead");
        }
        Booking booking = new Booking("b-" + HexFormat.of().toHexDigits(random.nextLong()), carId, userId, start, end, now);
        reserve(tenant, userId, booking, now);
        try {
            bookingsOf(tenant).upsert(carId, CarBookings.EMPTY, current -> {
                if (current.bookings().stream().anyMatch(b -> b.overlaps(start, end))) {
                    throw new ConflictException("car " + carId + " is already booked for part of that time");
                }
                return current.with(booking);
            });
        } catch (RuntimeException e) {
            borrowers(tenant).upsert(userId, BorrowerBookings.EMPTY, current -> current.without(booking.id()));
            throw e;
        }
        return booking;
    }

    /** Counts the booking against the borrower's limit, in one conditional write with the count it checks. */
    private void reserve(String tenant, String userId, Booking booking, Instant now) {
        JsonCollection<BorrowerBookings> borrowers = borrowers(tenant);
        // bookings made before this document existed are counted from the cars' documents, once
        BorrowerBookings initial = borrowers.find(userId).isPresent() ? BorrowerBookings.EMPTY
                : BorrowerBookings.of(ofUser(tenant, userId), now);
        borrowers.upsert(userId, initial, current -> {
            BorrowerBookings open = current.openAt(now);
            if (open.open().size() >= limits.maxOpenPerBorrower()) {
                throw new ConflictException("a borrower may hold at most " + limits.maxOpenPerBorrower()
                        + " bookings that have not ended");
            }
            return open.with(booking);
        });
    }

    /**
     * Cancels the user's open bookings, freeing their cars: a current booking ends now, upcoming ones are removed.
     *
     * @return what was cancelled, as it was before
     */
    public List<Booking> cancelOpenOf(String tenant, String userId) {
        Instant now = clock.instant();
        List<Booking> cancelled = new ArrayList<>();
        JsonCollection<CarBookings> cars = bookingsOf(tenant);
        for (String carId : cars.ids()) {
            List<Booking> ofCar = new ArrayList<>();
            cars.upsert(carId, CarBookings.EMPTY, current -> {
                ofCar.clear();
                return current.cancelOpenOf(userId, now, ofCar);
            });
            cancelled.addAll(ofCar);
        }
        borrowers(tenant).delete(userId);
        return cancelled;
    }

    public boolean coversNow(String tenant, String carId, String userId) {
        Instant now = clock.instant();
        return bookingsOf(tenant).get(carId).orElse(CarBookings.EMPTY).bookings().stream()
                .anyMatch(b -> b.userId().equals(userId) && b.covers(now));
    }

    public List<Booking> ofUser(String tenant, String userId) {
        return matching(tenant, b -> b.userId().equals(userId));
    }

    /** The booking with that id, of any car of the tenant. */
    public java.util.Optional<Booking> find(String tenant, String bookingId) {
        return matching(tenant, b -> b.id().equals(bookingId)).stream().findFirst();
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

    private JsonCollection<BorrowerBookings> borrowers(String tenant) {
        return new JsonCollection<>(stores.tenant(tenant), "borrower-bookings", BorrowerBookings.class);
    }

    private JsonCollection<CarBookings> bookingsOf(String tenant) {
        return new JsonCollection<>(stores.tenant(tenant), "car-bookings", CarBookings.class);
    }
}
