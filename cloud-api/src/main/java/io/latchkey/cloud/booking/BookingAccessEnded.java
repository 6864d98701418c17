package io.latchkey.cloud.booking;

import io.micronaut.core.annotation.Nullable;
import java.util.Set;

/**
 * Published (Micronaut {@code ApplicationEventPublisher}, synchronously, after the write and its audit record) when some
 * or all people lose the use of a car through a booking: the booking closed (cancelled in any state, ended, marked
 * {@code NO_SHOW}, or cancelled with its borrower's account), or the borrower stopped naming some co-drivers. Once per
 * change: only the caller whose conditional write made it publishes. Listeners (the offline keys' revocation) must not
 * block for long or throw (a failure is logged and changes nothing).
 *
 * @param booking the booking as it is now
 * @param userIds the co-drivers no longer named; null when the booking closed (everybody)
 */
public record BookingAccessEnded(String tenant, Booking booking, @Nullable Set<String> userIds) {
    /** Whether the booking itself closed, ending everybody's access. */
    public boolean closed() {
        return userIds == null;
    }
}
