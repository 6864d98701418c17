package io.latchkey.cloud.booking;

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

    CarBookings with(Booking booking) {
        List<Booking> next = new ArrayList<>(bookings);
        next.add(booking);
        return new CarBookings(next);
    }
}
