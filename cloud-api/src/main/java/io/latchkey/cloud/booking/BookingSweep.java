package io.latchkey.cloud.booking;

import io.latchkey.cloud.tenant.Tenant;
import io.latchkey.cloud.tenant.TenantDirectory;
import io.micronaut.scheduling.annotation.Scheduled;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every {@code latchkey.bookings.sweep-interval}, marks bookings that can no longer start as {@code NO_SHOW}
 * ({@link BookingService#sweep}): immediate reservations not started within their hold, scheduled bookings never
 * started by their end. Every replica sweeps; the conditional writes make each transition happen, and be audited and
 * mailed, once.
 */
@Singleton
public class BookingSweep {
    private static final Logger LOG = LoggerFactory.getLogger(BookingSweep.class);

    private final TenantDirectory tenants;
    private final BookingService bookings;
    private final Clock clock;

    public BookingSweep(TenantDirectory tenants, BookingService bookings, Clock clock) {
        this.tenants = tenants;
        this.bookings = bookings;
        this.clock = clock;
    }

    @Scheduled(fixedDelay = "${latchkey.bookings.sweep-interval:1m}", initialDelay = "${latchkey.bookings.sweep-interval:1m}")
    void scheduled() {
        try {
            List<Booking> lapsed = sweep();
            if (!lapsed.isEmpty()) {
                LOG.info("{} booking(s) lapsed as NO_SHOW", lapsed.size());
            }
        } catch (RuntimeException e) {
            LOG.warn("the booking sweep failed: {}", e.toString());
        }
    }

    /** One sweep over every tenant, at the clock's now; what this call marked {@code NO_SHOW}. */
    public List<Booking> sweep() {
        Instant now = clock.instant();
        List<Booking> lapsed = new ArrayList<>();
        for (Tenant tenant : tenants.all()) {
            try {
                lapsed.addAll(bookings.sweep(tenant.id(), now));
            } catch (RuntimeException e) {
                LOG.warn("could not sweep the bookings of tenant {}: {}", tenant.id(), e.toString());
            }
        }
        return lapsed;
    }
}
