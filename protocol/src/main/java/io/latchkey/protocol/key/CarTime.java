package io.latchkey.protocol.key;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * What the car knows of the time when it decides on a key (docs/offline-keys.md §7): an instant and how far to trust
 * it. With {@link Confidence#TRUSTED} it is the time; with {@link Confidence#LOWER_BOUND} the time is at least it;
 * with {@link Confidence#UNKNOWN} nothing is known.
 */
public record CarTime(Instant now, Confidence confidence) {
    /** The tolerance for a clock that is a little behind the issuer's. */
    public static final Duration SKEW = Duration.ofSeconds(60);

    public enum Confidence { TRUSTED, LOWER_BOUND, UNKNOWN }

    public CarTime {
        Objects.requireNonNull(confidence, "confidence");
        if (confidence != Confidence.UNKNOWN) {
            Objects.requireNonNull(now, "now");
        }
    }

    public static CarTime unknown() {
        return new CarTime(null, Confidence.UNKNOWN);
    }

    /**
     * Whether a window holds now, as far as the car can tell.
     *
     * @throws KeyRefusedException {@code TIME_UNKNOWN}, {@code NOT_YET_VALID} or {@code EXPIRED}
     */
    public void requireWithin(Instant notBefore, Instant notAfter) {
        switch (confidence) {
            case UNKNOWN -> throw new KeyRefusedException(KeyRefusedException.Reason.TIME_UNKNOWN,
                    "the car does not know the time: no GNSS, cloud, RTC or persisted bound");
            case TRUSTED -> {
                if (now.isBefore(notBefore.minus(SKEW))) {
                    throw new KeyRefusedException(KeyRefusedException.Reason.NOT_YET_VALID, "valid from " + notBefore + ", now " + now);
                }
                if (!now.isBefore(notAfter)) {
                    throw new KeyRefusedException(KeyRefusedException.Reason.EXPIRED, "expired at " + notAfter + ", now " + now);
                }
            }
            case LOWER_BOUND -> {
                if (!now.isBefore(notAfter)) {
                    throw new KeyRefusedException(KeyRefusedException.Reason.EXPIRED,
                            "expired at " + notAfter + ", and the time is at least " + now);
                }
                if (now.plus(SKEW).isBefore(notBefore)) {
                    throw new KeyRefusedException(KeyRefusedException.Reason.NOT_YET_VALID,
                            "valid from " + notBefore + ", and the car only knows the time is at least " + now);
                }
            }
        }
    }
}
