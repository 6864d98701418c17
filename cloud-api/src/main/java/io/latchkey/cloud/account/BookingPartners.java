package io.latchkey.cloud.account;

/**
 * Whether two users are, right now, the owner and the borrower of one car under an active booking: the
 * only case in which users see each other's e-mail and phone. Owned here, where profiles are sanitised;
 * answered by the booking layer.
 */
public interface BookingPartners {
    boolean activeBetween(String tenant, String userA, String userB);
}
