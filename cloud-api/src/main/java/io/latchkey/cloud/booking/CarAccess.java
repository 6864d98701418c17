package io.latchkey.cloud.booking;

import io.latchkey.cloud.ForbiddenException;
import io.latchkey.cloud.identity.Caller;
import jakarta.inject.Singleton;
import java.util.Optional;

/**
 * The one rule for using a car now (seeing its live state, commanding it): operators and tenant-admins
 * may use every car of the tenant; anybody else only a car that a {@code CONFIRMED} or {@code ACTIVE} booking of
 * theirs covers now (an immediate reservation only until its hold ends; an active rental marked overdue also after
 * its end). An ended, cancelled or lapsed booking gives no access. Every route that acts on a single car asks here;
 * none decides it on its own.
 */
@Singleton
public class CarAccess {
    private final BookingService bookings;

    public CarAccess(BookingService bookings) {
        this.bookings = bookings;
    }

    /** Why {@code caller} may not use the car now, or empty when they may. */
    public Optional<String> refusal(String tenant, String carId, Caller caller) {
        if (caller.actsForTenant() || bookings.coversNow(tenant, carId, caller.userId())) {
            return Optional.empty();
        }
        return Optional.of("no booking of yours covers now for car " + carId);
    }

    public boolean allows(String tenant, String carId, Caller caller) {
        return refusal(tenant, carId, caller).isEmpty();
    }

    /** @throws ForbiddenException naming why, when {@code caller} may not use the car now */
    public void require(String tenant, String carId, Caller caller) {
        Optional<String> refused = refusal(tenant, carId, caller);
        if (refused.isPresent()) {
            throw new ForbiddenException(refused.get());
        }
    }
}
