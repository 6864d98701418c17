package io.latchkey.cloud.booking;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The bookings of one borrower that hold a car ({@code CONFIRMED} or {@code ACTIVE}) over all cars
 * ({@code borrower-bookings/{userId}}): the document whose conditional write makes the per-borrower limit hold under
 * concurrent bookings of different cars. A booking leaves it when it ends, is cancelled or lapses, and at the latest
 * when its end has passed.
 */
record BorrowerBookings(List<Open> open) {
    static final BorrowerBookings EMPTY = new BorrowerBookings(List.of());

    /** One booking that had not ended when it was counted. */
    record Open(String id, String carId, Instant end) {
    }

    BorrowerBookings {
        open = open == null ? List.of() : List.copyOf(open);
    }

    static BorrowerBookings of(List<Booking> bookings, Instant now) {
        return new BorrowerBookings(bookings.stream().filter(b -> b.state().open() && b.end().isAfter(now))
                .map(b -> new Open(b.id(), b.carId(), b.end())).toList());
    }

    BorrowerBookings openAt(Instant now) {
        return new BorrowerBookings(open.stream().filter(o -> o.end().isAfter(now)).toList());
    }

    BorrowerBookings with(Booking booking) {
        List<Open> next = new ArrayList<>(open);
        next.add(new Open(booking.id(), booking.carId(), booking.end()));
        return new BorrowerBookings(next);
    }

    BorrowerBookings without(String bookingId) {
        return new BorrowerBookings(open.stream().filter(o -> !o.id().equals(bookingId)).toList());
    }

    BorrowerBookings extended(String bookingId, Instant end) {
        return new BorrowerBookings(open.stream().map(o -> o.id().equals(bookingId) ? new Open(o.id(), o.carId(), end) : o)
                .toList());
    }
}
