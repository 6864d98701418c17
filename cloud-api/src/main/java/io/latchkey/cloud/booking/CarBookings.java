package io.latchkey.cloud.booking;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * All bookings of one car in one document ({@code car-bookings/{carId}}), so that the overlap check
 * and the insert are one conditional write: two borrowers racing for the same slot cannot both win.
 */
record CarBookings(List<Booking> bookings) {
    static final CarBookings EMPTY = new CarBookings(List.of());

    CarBookings {
        bookings = bookings == null ? List.of() : List.copyOf(bookings);
    }

    /**
     * Without the user's open bookings: a current one ends at {@code now}, upcoming ones are removed; what was
     * cancelled is added to {@code cancelled}. Past bookings stay, as history.
     */
    CarBookings cancelOpenOf(String userId, Instant now, List<Booking> cancelled) {
        List<Booking> next = new ArrayList<>();
        for (Booking b : bookings) {
            if (!b.userId().equals(userId) || !b.end().isAfter(now)) {
                next.add(b);
            } else {
                cancelled.add(b);
                if (b.start().isBefore(now)) {
                    next.add(new Booking(b.id(), b.carId(), b.userId(), b.start(), now, b.createdAt()));
                }
            }
        }
        return new CarBookings(next);
    }

    CarBookings with(Booking booking) {
        List<Booking> next = new ArrayList<>(bookings);
        next.add(booking);
        return new CarBookings(next);
    }
}
