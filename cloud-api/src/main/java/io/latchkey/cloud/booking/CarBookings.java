package io.latchkey.cloud.booking;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * All bookings of one car in one document ({@code car-bookings/{carId}}), so that the overlap check
 * and the insert are one conditional write: two borrowers racing for the same slot cannot both win, and every
 * state change of a booking is a conditional write of this document (two replicas sweeping at once cannot both
 * make the same transition).
 */
record CarBookings(List<Booking> bookings) {
    static final CarBookings EMPTY = new CarBookings(List.of());

    CarBookings {
        bookings = bookings == null ? List.of() : List.copyOf(bookings);
    }

    Optional<Booking> find(String bookingId) {
        return bookings.stream().filter(b -> b.id().equals(bookingId)).findFirst();
    }

    /** Whether an open booking other than {@code exceptId} holds the car for part of {@code [from, to)}. */
    boolean blocked(Instant from, Instant to, Instant now, String exceptId) {
        return bookings.stream().anyMatch(b -> !b.id().equals(exceptId) && b.blocks(from, to, now));
    }

    /**
     * The user's open bookings cancelled at {@code now} by {@code actor} (an active one ends then); what was cancelled,
     * as it is now, is added to {@code cancelled}. Everything stays, as history.
     */
    CarBookings cancelOpenOf(String userId, Instant now, String actor, List<Booking> cancelled) {
        List<Booking> next = new ArrayList<>();
        for (Booking b : bookings) {
            if (b.userId().equals(userId) && b.state().open()) {
                Booking c = b.cancelled(now, actor);
                cancelled.add(c);
                next.add(c);
            } else {
                next.add(b);
            }
        }
        return new CarBookings(next);
    }

    CarBookings with(Booking booking) {
        List<Booking> next = new ArrayList<>(bookings);
        next.add(booking);
        return new CarBookings(next);
    }

    CarBookings replacing(String bookingId, UnaryOperator<Booking> change) {
        return new CarBookings(bookings.stream().map(b -> b.id().equals(bookingId) ? change.apply(b) : b).toList());
    }
}
