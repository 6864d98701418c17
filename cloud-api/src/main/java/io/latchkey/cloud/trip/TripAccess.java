package io.latchkey.cloud.trip;

import io.latchkey.cloud.ForbiddenException;
import io.latchkey.cloud.booking.Booking;
import io.latchkey.cloud.booking.BookingService;
import io.latchkey.cloud.identity.Caller;
import io.latchkey.cloud.ownership.CarOwners;
import io.latchkey.cloud.telemetry.Trip;
import jakarta.inject.Singleton;
import java.util.List;
import java.util.function.Predicate;

/**
 * Who sees which trips of a car: operators and tenant-admins all of them, the car's owner all of its trips, a
 * borrower the trips that start inside one of their bookings of the car (an overdue trip that runs past the
 * booking's end included), nobody else any.
 */
@Singleton
public class TripAccess {
    private final BookingService bookings;
    private final CarOwners owners;

    public TripAccess(BookingService bookings, CarOwners owners) {
        this.bookings = bookings;
        this.owners = owners;
    }

    /**
     * Which of the car's trips the caller may see.
     *
     * @throws ForbiddenException when the caller may see none: not an operator, not the owner, no booking of the car
     */
    public Predicate<Trip> visibleTo(String tenant, String carId, Caller caller) {
        if (caller.actsForTenant() || (caller.isOwner() && owners.ownerOf(tenant, carId).filter(caller::is).isPresent())) {
            return trip -> true;
        }
        List<Booking> own = bookings.ofUser(tenant, caller.userId()).stream().filter(b -> b.carId().equals(carId)).toList();
        if (own.isEmpty()) {
            throw new ForbiddenException("no booking of yours for car " + carId + ": its trips are not yours to see");
        }
        return trip -> own.stream().anyMatch(b -> inside(trip, b));
    }

    /** A trip belongs to a booking when it starts inside the booking's window. */
    public static boolean inside(Trip trip, Booking booking) {
        return booking.covers(trip.startTime());
    }
}
