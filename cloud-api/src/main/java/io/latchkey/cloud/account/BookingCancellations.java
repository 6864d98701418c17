package io.latchkey.cloud.account;

/**
 * Frees the cars an account had booked when the account ends for good (terminated, or locked permanently):
 * its current booking ends now, upcoming ones are cancelled, each is audited. Owned here, where accounts
 * end; done by the booking layer.
 */
public interface BookingCancellations {
    /** Why bookings were cancelled, as the audit trail records it. */
    String ACCOUNT_TERMINATED = "CANCELLED_ACCOUNT_TERMINATED";
    String ACCOUNT_LOCKED = "CANCELLED_ACCOUNT_LOCKED";

    /**
     * @param actor  who ended the account (a user id, or the system)
     * @param reason {@link #ACCOUNT_TERMINATED} or {@link #ACCOUNT_LOCKED}
     * @return how many bookings were cancelled
     */
    int cancelOpenBookingsOf(String tenant, String userId, String actor, String reason);
}
