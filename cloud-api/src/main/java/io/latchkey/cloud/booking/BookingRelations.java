package io.latchkey.cloud.booking;

import io.latchkey.cloud.account.BookingPartners;
import io.latchkey.cloud.ownership.CarOwners;
import jakarta.inject.Singleton;

/**
 * Whether two users are, right now, the owner and the borrower of one car under an active booking: the
 * only case in which users see each other's e-mail and phone.
 */
@Singleton
public class BookingRelations implements BookingPartners {
    private final BookingService bookings;
    private final CarOwners owners;

    public BookingRelations(BookingService bookings, CarOwners owners) {
        this.bookings = bookings;
        this.owners = owners;
    }

    @Override
    public boolean activeBetween(String tenant, String userA, String userB) {
        return ownerAndBorrower(tenant, userA, userB) || ownerAndBorrower(tenant, userB, userA);
    }

    private boolean ownerAndBorrower(String tenant, String ownerId, String borrowerId) {
        return !ownerId.equals(borrowerId)
                && owners.carsOf(tenant, ownerId).stream().anyMatch(car -> bookings.coversNow(tenant, car, borrowerId));
    }
}
