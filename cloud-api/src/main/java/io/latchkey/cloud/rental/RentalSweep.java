package io.latchkey.cloud.rental;

import io.latchkey.cloud.ConflictException;
import io.latchkey.cloud.GatewayTimeoutException;
import io.latchkey.cloud.NotFoundException;
import io.latchkey.cloud.UnavailableException;
import io.latchkey.cloud.audit.AuditEntry;
import io.latchkey.cloud.booking.Booking;
import io.latchkey.cloud.booking.BookingService;
import io.latchkey.cloud.car.CarRegistry;
import io.latchkey.cloud.car.CarState;
import io.latchkey.cloud.event.Events;
import io.latchkey.cloud.tenant.Tenant;
import io.latchkey.cloud.tenant.TenantDirectory;
import io.micronaut.scheduling.annotation.Scheduled;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The automatic end. Every {@code latchkey.rentals.sweep-interval}, for each {@code ACTIVE} booking past its end:
 * if the car's latest known state says it is parked and closed (online, speed 0, ignition off, doors closed) the
 * backend asks the car to end the rental (actor {@code system}, with its home zone): {@code EXECUTED} - the car has
 * locked itself - ends the booking and mails the receipt, as the end route does. Otherwise - still driving, or the car
 * refused (it moves, the ignition is on, a door is open, outside its home zone) or did not answer - nothing is forced:
 * the booking is marked overdue ({@link BookingService#markOverdue}, once) and {@code BOOKING_OVERDUE} raised (once:
 * its time is the booked end, its key the booking; alert mail to the operators), and later sweeps try again until the
 * rental ends. A car is never locked or immobilised while moving: the backend does not even ask one its last state
 * shows moving, and the car's own checks refuse.
 *
 * <p>Every replica sweeps: the booking's transitions are conditional writes, the event is stored under one id, so
 * two sweeps at once end, mail and alert once (both may ask the car; it locks once, and the second end finds the
 * booking {@code ENDED}).
 */
@Singleton
public class RentalSweep {
    private static final Logger LOG = LoggerFactory.getLogger(RentalSweep.class);

    private final TenantDirectory tenants;
    private final BookingService bookings;
    private final CarRegistry cars;
    private final Rentals rentals;
    private final Events events;
    private final Immobiliser immobiliser;
    private final Clock clock;

    /** What one sweep did: rentals it ended, bookings it marked overdue. */
    public record Result(List<Booking> ended, List<Booking> overdue) {
    }

    public RentalSweep(TenantDirectory tenants, BookingService bookings, CarRegistry cars, Rentals rentals, Events events,
                       Immobiliser immobiliser, Clock clock) {
        this.tenants = tenants;
        this.bookings = bookings;
        this.cars = cars;
        this.rentals = rentals;
        this.events = events;
        this.immobiliser = immobiliser;
        this.clock = clock;
    }

    @Scheduled(fixedDelay = "${latchkey.rentals.sweep-interval:1m}", initialDelay = "${latchkey.rentals.sweep-interval:1m}")
    void scheduled() {
        try {
            Result result = sweep();
            if (!result.ended().isEmpty() || !result.overdue().isEmpty()) {
                LOG.info("rental sweep: {} ended, {} marked overdue", result.ended().size(), result.overdue().size());
            }
        } catch (RuntimeException e) {
            LOG.warn("the rental sweep failed: {}", e.toString());
        }
    }

    /** One sweep over every tenant at the clock's now (tests call this with a moved clock). */
    public Result sweep() {
        List<Booking> ended = new ArrayList<>();
        List<Booking> overdue = new ArrayList<>();
        for (Tenant tenant : tenants.all()) {
            try {
                sweep(tenant.id(), ended, overdue);
            } catch (RuntimeException e) {
                LOG.warn("could not sweep the rentals of tenant {}: {}", tenant.id(), e.toString());
            }
            try {
                immobiliser.retry(tenant.id());
            } catch (RuntimeException e) {
                LOG.warn("could not retry the immobiliser commands of tenant {}: {}", tenant.id(), e.toString());
            }
        }
        return new Result(ended, overdue);
    }

    private void sweep(String tenant, List<Booking> ended, List<Booking> overdue) {
        Instant now = clock.instant();
        for (Booking b : bookings.all(tenant)) {
            if (b.state() != Booking.State.ACTIVE || now.isBefore(b.end())) {
                continue;
            }
            try {
                Optional<Booking> done = tryEnd(tenant, b);
                if (done.isPresent()) {
                    ended.add(done.get());
                    continue;
                }
                markOverdue(tenant, b, now).ifPresent(overdue::add);
            } catch (RuntimeException e) {
                LOG.warn("could not sweep booking {} of tenant {}: {}", b.id(), tenant, e.toString());
            }
        }
    }

    /** Asks a parked, closed car to end the rental; the ended booking, or empty if it did not end. */
    private Optional<Booking> tryEnd(String tenant, Booking b) {
        if (!parkedAndClosed(cars.state(tenant, b.carId()))) {
            return Optional.empty();
        }
        try {
            Rentals.EndResult result = rentals.attempt(tenant, b, AuditEntry.SYSTEM);
            if (result.ended()) {
                return Optional.of(result.booking());
            }
            LOG.info("car {} of tenant {} refused to end booking {}: {}", b.carId(), tenant, b.id(), result.failed());
        } catch (ConflictException | NotFoundException e) {
            // ended (or cancelled) meanwhile by another replica, the borrower or an operator: nothing left to do here
            LOG.debug("booking {} of tenant {} changed meanwhile: {}", b.id(), tenant, e.getMessage());
        } catch (GatewayTimeoutException | UnavailableException | Rentals.CarRefusedException e) {
            LOG.info("car {} of tenant {} did not end booking {}: {}", b.carId(), tenant, b.id(), e.getMessage());
        }
        return Optional.empty();
    }

    /**
     * Marks the booking overdue (if still {@code ACTIVE}) and raises {@code BOOKING_OVERDUE}; the event is raised on
     * every sweep that finds the booking overdue, which stores and mails it once (so a crash between the two writes
     * loses no alert).
     *
     * @return the booking if this call marked it
     */
    private Optional<Booking> markOverdue(String tenant, Booking b, Instant now) {
        Optional<Booking> marked = bookings.markOverdue(tenant, b.id(), now);
        boolean isOverdue = marked.isPresent() || b.overdue()
                || bookings.find(tenant, b.id()).filter(c -> c.state() == Booking.State.ACTIVE && c.overdue()).isPresent();
        if (isOverdue) {
            events.raise(tenant, b.carId(), Events.BOOKING_OVERDUE, b.end(),
                    Map.of("bookingId", b.id(), "end", b.end().toString()), "booking-" + b.id());
        }
        return marked;
    }

    /** The backend's last known state says the car stands still, ignition off, doors closed, and is not known offline. */
    static boolean parkedAndClosed(CarState s) {
        return s.speedKmh() != null && s.speedKmh() == 0.0 && Boolean.FALSE.equals(s.ignition())
                && Boolean.FALSE.equals(s.doorsOpen()) && !Boolean.FALSE.equals(s.online());
    }
}
