package io.latchkey.cloud.booking;

import io.latchkey.cloud.car.CarRegistry;
import io.latchkey.cloud.identity.UserAccount;
import io.latchkey.cloud.identity.UserDirectory;
import io.latchkey.cloud.outbox.Message;
import io.latchkey.cloud.outbox.Outbox;
import jakarta.inject.Singleton;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells the borrower by e-mail, through the {@link Outbox}, that their booking was confirmed, cancelled, extended or
 * has lapsed. A message holds only what the borrower may see anyway: their booking (id, window, state) and the car's
 * name and plate; never who else is involved (an operator who cancelled is named by role only). A message that cannot
 * be handed to the outbox is logged (its id and kind, no address) and does not undo the change it reports.
 */
@Singleton
public class BookingMessages {
    static final String CONFIRMED = "booking-confirmed";
    static final String CANCELLED = "booking-cancelled";
    static final String EXTENDED = "booking-extended";
    static final String NO_SHOW = "booking-no-show";
    private static final Logger LOG = LoggerFactory.getLogger(BookingMessages.class);

    private final Outbox outbox;
    private final UserDirectory users;
    private final CarRegistry cars;

    public BookingMessages(Outbox outbox, UserDirectory users, CarRegistry cars) {
        this.outbox = outbox;
        this.users = users;
        this.cars = cars;
    }

    void confirmed(String tenant, Booking b) {
        if (b.kind() == Booking.Kind.IMMEDIATE) {
            send(tenant, b, CONFIRMED, "Car reserved: " + car(tenant, b),
                    "You reserved " + car(tenant, b) + " now (reservation " + b.id() + ", until " + b.end() + ").\n"
                            + "Unlock it with the app before " + b.holdUntil() + " to start the rental; otherwise the "
                            + "reservation lapses and the car is released.");
        } else {
            send(tenant, b, CONFIRMED, "Booking confirmed: " + car(tenant, b),
                    "Your booking " + b.id() + " of " + car(tenant, b) + " is confirmed.\n"
                            + "From: " + b.start() + "\nUntil: " + b.end() + "\n"
                            + "The rental starts when you first unlock the car within that time.");
        }
    }

    void cancelled(String tenant, Booking b) {
        String by = b.userId().equals(b.cancelledBy()) ? "at your request" : "by the operator";
        send(tenant, b, CANCELLED, "Booking cancelled: " + car(tenant, b),
                "Your booking " + b.id() + " of " + car(tenant, b) + " (" + b.start() + " to " + b.end() + ") was cancelled "
                        + by + " at " + b.cancelledAt() + "."
                        + (b.endedAt() != null ? " The rental ended then." : ""));
    }

    void extended(String tenant, Booking b) {
        send(tenant, b, EXTENDED, "Booking extended: " + car(tenant, b),
                "Your booking " + b.id() + " of " + car(tenant, b) + " now ends at " + b.end() + " (from " + b.start() + ").");
    }

    void noShow(String tenant, Booking b) {
        String what = b.kind() == Booking.Kind.IMMEDIATE
                ? "Your reservation " + b.id() + " of " + car(tenant, b) + " lapsed: the rental was not started at the car by "
                + b.holdUntil() + "."
                : "Your booking " + b.id() + " of " + car(tenant, b) + " (" + b.start() + " to " + b.end()
                + ") lapsed: the rental was never started at the car.";
        send(tenant, b, NO_SHOW, "Booking lapsed: " + car(tenant, b), what + " The car has been released.");
    }

    private String car(String tenant, Booking b) {
        return cars.find(tenant, b.carId()).map(c -> c.name() + " (" + c.plate() + ")").orElse("car " + b.carId());
    }

    private void send(String tenant, Booking b, String kind, String subject, String body) {
        try {
            Optional<UserAccount> user = users.find(tenant, b.userId()).filter(u -> !u.terminated());
            if (user.isEmpty() || user.get().email() == null) {
                return;
            }
            String id = outbox.send(tenant, new Message(b.userId(), user.get().email(), kind, subject, body));
            LOG.debug("{} for booking {} of tenant {} is message {}", kind, b.id(), tenant, id);
        } catch (RuntimeException e) {
            LOG.warn("could not queue the {} message for booking {} of tenant {}: {}", kind, b.id(), tenant, e.toString());
        }
    }
}
