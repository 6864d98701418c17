package io.latchkey.cloud.booking;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.context.exceptions.ConfigurationException;
import io.micronaut.core.bind.annotation.Bindable;
import java.time.Duration;

/**
 * The limits a car-sharing operator puts on bookings, so that one borrower cannot hold a car, or many cars,
 * for months or years ahead.
 *
 * @param maxAdvance         {@code latchkey.bookings.max-advance}: how far ahead of now a booking may start
 *                           (default 90 days; 1 to 730 days)
 * @param maxLength          {@code latchkey.bookings.max-length}: the longest booking (default 31 days; 1 hour to 365 days)
 * @param maxOpenPerBorrower {@code latchkey.bookings.max-open-per-borrower}: bookings of one borrower that have not
 *                           ended yet, current and upcoming, over all cars (default 5; 1 to 100)
 * @param maxBackdate        {@code latchkey.bookings.max-backdate}: how far before now a start may lie, for a borrower
 *                           booking the car in front of them (default 15 minutes; 0 to 1 hour)
 * @param reservationHold    {@code latchkey.bookings.reservation-hold}: how long an immediate reservation holds the car
 *                           for the rental to start at it; then it lapses as {@code NO_SHOW} (default 15 minutes; 5 seconds
 *                           to 2 hours: seconds are for tests and the simulator's CI scenario, which would otherwise
 *                           wait minutes for a lapse; a borrower needs minutes to reach the car)
 * @param immediateLength    {@code latchkey.bookings.immediate-length}: the end of an immediate reservation that names
 *                           none, from now (default 1 hour; 15 minutes to 24 hours, at most {@code max-length})
 * @param sweepInterval      {@code latchkey.bookings.sweep-interval}: how often lapsed reservations and bookings never
 *                           started are marked {@code NO_SHOW} (default 1 minute; 1 second to 1 hour)
 */
@ConfigurationProperties("latchkey.bookings")
public record BookingsConfig(@Bindable(defaultValue = "90d") Duration maxAdvance,
                             @Bindable(defaultValue = "31d") Duration maxLength,
                             @Bindable(defaultValue = "5") int maxOpenPerBorrower,
                             @Bindable(defaultValue = "15m") Duration maxBackdate,
                             @Bindable(defaultValue = "15m") Duration reservationHold,
                             @Bindable(defaultValue = "1h") Duration immediateLength,
                             @Bindable(defaultValue = "1m") Duration sweepInterval) {
    public static final String PREFIX = "latchkey.bookings.";
    /** The shortest {@code reservation-hold}: below it a reservation would lapse before the borrower's unlock arrives. */
    public static final Duration MIN_RESERVATION_HOLD = Duration.ofSeconds(5);

    public BookingsConfig {
        require("max-advance", maxAdvance, Duration.ofDays(1), Duration.ofDays(730), "1d and 730d");
        require("max-length", maxLength, Duration.ofHours(1), Duration.ofDays(365), "1h and 365d");
        require("max-backdate", maxBackdate, Duration.ZERO, Duration.ofHours(1), "0m and 1h");
        require("reservation-hold", reservationHold, MIN_RESERVATION_HOLD, Duration.ofHours(2), "5s and 2h");
        require("immediate-length", immediateLength, Duration.ofMinutes(15), Duration.ofHours(24), "15m and 24h");
        require("sweep-interval", sweepInterval, Duration.ofSeconds(1), Duration.ofHours(1), "1s and 1h");
        if (immediateLength.compareTo(maxLength) > 0) {
            throw new ConfigurationException(PREFIX + "immediate-length must not exceed max-length (" + maxLength + "), got "
                    + immediateLength);
        }
        if (maxOpenPerBorrower < 1 || maxOpenPerBorrower > 100) {
            throw new ConfigurationException(PREFIX + "max-open-per-borrower must be between 1 and 100, got " + maxOpenPerBorrower);
        }
    }

    private static void require(String key, Duration value, Duration min, Duration max, String range) {
        if (value == null || value.compareTo(min) < 0 || value.compareTo(max) > 0) {
            throw new ConfigurationException(PREFIX + key + " must be a duration between " + range + ", got " + value);
        }
    }

    /** {@code 31 days}, {@code 15 minutes}: how the limits are named in refusals. */
    static String describe(Duration d) {
        if (!d.isZero() && d.toHoursPart() == 0 && d.toMinutesPart() == 0 && d.toSecondsPart() == 0) {
            return d.toDays() + " days";
        }
        if (d.toMinutesPart() == 0 && d.toSecondsPart() == 0 && d.toHours() > 0) {
            return d.toHours() + " hours";
        }
        return d.toMinutes() + " minutes";
    }
}
