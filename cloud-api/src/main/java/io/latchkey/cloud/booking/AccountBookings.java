package io.latchkey.cloud.booking;

import io.latchkey.cloud.account.BookingCancellations;
import io.latchkey.cloud.audit.Auditor;
import jakarta.inject.Singleton;
import java.util.List;

/** Cancels the open bookings of an account that ended for good, and audits each as {@code booking.cancel}. */
@Singleton
public class AccountBookings implements BookingCancellations {
    private final BookingService bookings;
    private final Auditor auditor;

    public AccountBookings(BookingService bookings, Auditor auditor) {
        this.bookings = bookings;
        this.auditor = auditor;
    }

    @Override
    public int cancelOpenBookingsOf(String tenant, String userId, String actor, String reason) {
        List<Booking> cancelled = bookings.cancelOpenOf(tenant, userId, actor);
        for (Booking b : cancelled) {
            auditor.record(tenant, actor, "booking.cancel", "booking/" + b.id() + " car/" + b.carId(), reason);
        }
        return cancelled.size();
    }
}
