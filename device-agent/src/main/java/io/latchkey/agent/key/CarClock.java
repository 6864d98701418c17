package io.latchkey.agent.key;

import io.latchkey.protocol.key.CarTime;
import io.latchkey.protocol.key.CarTime.Confidence;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The car's time for offline keys (docs/offline-keys.md §7). A Pi has no real-time clock, and its system clock
 * after a boot without network is whatever it was last set to; so the car keeps an <em>anchor</em> (an instant from
 * a source it believes) plus its monotonic clock since the anchor was taken, and how far to trust it:
 * <ul>
 * <li>{@code TRUSTED} from GNSS time or the cloud (a verified command's {@code issuedAt}) — and it stays trusted
 *     until the agent restarts, the monotonic clock carrying it (its drift is seconds a day);</li>
 * <li>{@code LOWER_BOUND} from the bound persisted every minute and at stop, raised by each verified credential's and
 *     revocation list's {@code issuedAt} (signed time from the cloud, carried by a phone);</li>
 * <li>{@code UNKNOWN} with none of these.</li>
 * </ul>
 * Time never moves backwards: a source older than what the car already knows is ignored (so a replayed old command
 * or credential cannot wind the clock back and bring an expired key to life). Thread-safe.
 */
public final class CarClock {
    private static final Logger LOG = LoggerFactory.getLogger(CarClock.class);

    private final LongSupplier nanoTime;
    private Instant anchor;
    private long anchorNanos;
    private Confidence confidence = Confidence.UNKNOWN;
    private String trustedSource;

    /** @param nanoTime the monotonic clock ({@code System::nanoTime}; a test's own) */
    public CarClock(LongSupplier nanoTime) {
        this.nanoTime = Objects.requireNonNull(nanoTime, "nanoTime");
    }

    /** What the car knows of the time now. */
    public synchronized CarTime now() {
        return confidence == Confidence.UNKNOWN ? CarTime.unknown() : new CarTime(current(), confidence);
    }

    /**
     * A source the car believes gave the time (GNSS, the cloud). The clock becomes TRUSTED; an instant earlier than
     * what the car already knows (trusted or lower bound, less {@code tolerance}) is ignored.
     */
    public synchronized void trusted(Instant time, String source, Duration tolerance) {
        if (time == null) {
            return;
        }
        if (confidence != Confidence.UNKNOWN && time.isBefore(current().minus(tolerance))) {
            LOG.warn("car time: {} says {}, earlier than the {} {} the car knows; ignored", source, time,
                    confidence == Confidence.TRUSTED ? "trusted time" : "lower bound", current());
            return;
        }
        if (confidence != Confidence.TRUSTED) {
            LOG.info("car time: TRUSTED from {} ({})", source, time);
        }
        set(time, Confidence.TRUSTED);
        trustedSource = source;
    }

    /** The source of the last trusted time ({@code GNSS}, {@code cloud}, {@code RTC}), or null while not TRUSTED. */
    public synchronized String trustedSource() {
        return confidence == Confidence.TRUSTED ? trustedSource : null;
    }

    /**
     * Signed time that says the time is at least {@code time} (a verified credential's or revocation list's
     * {@code issuedAt}, the bound persisted at the last run). Raises a lower bound; with no time at all, only
     * {@code persisted} (the car's own record) starts one — a phone's credential alone never takes the car out of
     * UNKNOWN. Trusted time is not changed: it is better than any bound.
     *
     * @return whether the clock moved
     */
    public synchronized boolean atLeast(Instant time, boolean persisted) {
        if (time == null || confidence == Confidence.TRUSTED) {
            return false;
        }
        if (confidence == Confidence.UNKNOWN && !persisted) {
            return false;
        }
        if (confidence == Confidence.LOWER_BOUND && !time.isAfter(current())) {
            return false;
        }
        set(time, Confidence.LOWER_BOUND);
        return true;
    }

    /** What {@link #now()} would be if {@code time} were applied by {@link #atLeast(Instant, boolean) atLeast(time, false)}. */
    public synchronized CarTime raisedBy(Instant time) {
        CarTime now = now();
        if (time == null || now.confidence() != Confidence.LOWER_BOUND || !time.isAfter(now.now())) {
            return now;
        }
        return new CarTime(time, Confidence.LOWER_BOUND);
    }

    /** The instant to persist as the next run's lower bound, or null when the car knows no time. */
    public synchronized Instant bound() {
        return confidence == Confidence.UNKNOWN ? null : current();
    }

    private Instant current() {
        return anchor.plusNanos(nanoTime.getAsLong() - anchorNanos);
    }

    private void set(Instant time, Confidence c) {
        anchor = time;
        anchorNanos = nanoTime.getAsLong();
        confidence = c;
    }
}
