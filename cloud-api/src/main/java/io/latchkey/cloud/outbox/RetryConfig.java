package io.latchkey.cloud.outbox;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.context.exceptions.ConfigurationException;
import io.micronaut.core.bind.annotation.Bindable;
import java.time.Duration;

/**
 * How the outbox retries a relay that is down or a message the relay defers (4xx): the wait starts at
 * {@code initial} and doubles up to {@code max}, then stays at {@code max}, for as long as it takes.
 *
 * @param initial {@code latchkey.mail.retry.initial}: the first wait (1s)
 * @param max     {@code latchkey.mail.retry.max}: the longest wait (15m)
 */
@ConfigurationProperties("latchkey.mail.retry")
public record RetryConfig(@Bindable(defaultValue = "1s") Duration initial,
                          @Bindable(defaultValue = "15m") Duration max) {

    public RetryConfig {
        if (initial.isNegative() || initial.isZero() || initial.compareTo(Duration.ofHours(1)) > 0) {
            throw new ConfigurationException("latchkey.mail.retry.initial must be more than 0 and at most 1h, got " + initial);
        }
        if (max.compareTo(initial) < 0 || max.compareTo(Duration.ofHours(24)) > 0) {
            throw new ConfigurationException("latchkey.mail.retry.max must be at least latchkey.mail.retry.initial ("
                    + initial + ") and at most 24h, got " + max);
        }
    }

    /** The wait after the {@code failures}th failure in a row (1, 2, ...). */
    public Duration delayAfter(int failures) {
        Duration delay = initial;
        for (int i = 1; i < failures && delay.compareTo(max) < 0; i++) {
            delay = delay.multipliedBy(2);
        }
        return delay.compareTo(max) > 0 ? max : delay;
    }
}
