package io.latchkey.cloud.rental;

import io.latchkey.cloud.booking.Booking;
import io.latchkey.cloud.identity.UserAccount;
import io.latchkey.cloud.identity.UserDirectory;
import io.latchkey.cloud.outbox.Message;
import io.latchkey.cloud.outbox.Outbox;
import jakarta.inject.Singleton;
import java.util.Locale;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Mails the borrower the receipt of a rental that ended, through the {@link Outbox}. Called once per rental, by whoever
 * made the booking {@code ENDED} (the conditional transition decides). The message holds only what the borrower may see
 * anyway (POLICY.md): their booking, the car's name and plate, the times, distance, duration and fuel or charge of their
 * own trips; no positions, and nobody else's data. A message that cannot be queued is logged (booking id, no address)
 * and does not undo the end.
 */
@Singleton
public class RentalMessages {
    static final String RECEIPT = "rental-receipt";
    private static final Logger LOG = LoggerFactory.getLogger(RentalMessages.class);

    private final Outbox outbox;
    private final UserDirectory users;

    public RentalMessages(Outbox outbox, UserDirectory users) {
        this.outbox = outbox;
        this.users = users;
    }

    void receipt(String tenant, Booking b, Receipt r) {
        StringBuilder body = new StringBuilder();
        body.append("Your rental of ").append(r.car()).append(" (booking ").append(b.id()).append(") has ended")
                .append(b.overdue() ? ", after its booked end " + b.end() : "").append(".\n\n");
        body.append("Started: ").append(r.startedAt()).append('\n');
        body.append("Ended:   ").append(r.endedAt()).append('\n');
        body.append("Duration: ").append(Receipt.describe(r.durationS())).append('\n');
        body.append("Distance: ").append(km(r.distanceKm())).append(" km in ").append(r.tripCount())
                .append(r.tripCount() == 1 ? " trip" : " trips").append(" (driving ").append(Receipt.describe(r.drivingS()))
                .append(")\n");
        if (r.fuelUsedPct() != null) {
            body.append("Fuel used: ").append(km(r.fuelUsedPct())).append(" % of the tank\n");
        }
        if (r.socUsedPct() != null) {
            body.append("Charge used: ").append(km(r.socUsedPct())).append(" % of the battery\n");
        }
        for (var t : r.trips()) {
            body.append("  trip ").append(t.id()).append(": ").append(t.startTime()).append(" to ")
                    .append(t.endTime() != null ? t.endTime() : "ongoing").append(", ").append(km(t.bestDistanceKm()))
                    .append(" km\n");
        }
        body.append("\nThe car was locked when the rental ended.");
        try {
            Optional<UserAccount> user = users.find(tenant, b.userId()).filter(u -> !u.terminated());
            if (user.isEmpty() || user.get().email() == null) {
                return;
            }
            String id = outbox.send(tenant, new Message(b.userId(), user.get().email(), RECEIPT,
                    "Rental receipt: " + r.car() + ", " + km(r.distanceKm()) + " km", body.toString()));
            LOG.debug("{} for booking {} of tenant {} is message {}", RECEIPT, b.id(), tenant, id);
        } catch (RuntimeException e) {
            LOG.warn("could not queue the {} message for booking {} of tenant {}: {}", RECEIPT, b.id(), tenant, e.toString());
        }
    }

    private static String km(double v) {
        return String.format(Locale.ROOT, "%.1f", v);
    }
}
