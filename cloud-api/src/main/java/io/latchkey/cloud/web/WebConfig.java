package io.latchkey.cloud.web;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.context.exceptions.ConfigurationException;
import io.micronaut.core.bind.annotation.Bindable;
import java.time.Duration;

/**
 * Browser sessions of the backend's own web apps.
 *
 * @param sessionIdle {@code latchkey.web.session-idle}: a session unused this long ends; 1 minute to 12 hours
 * @param sessionMax  {@code latchkey.web.session-max}: a session ends this long after sign-in, used or not; at least
 *                    the idle time, at most 7 days
 * @param sweepInterval {@code latchkey.web.sweep-interval}: how often {@link SignInSweep} removes ended sessions,
 *                    expired sign-ins and spent or expired authorization codes (default 5 minutes; 10 seconds to 1 hour)
 */
@ConfigurationProperties("latchkey.web")
public record WebConfig(@Bindable(defaultValue = "30m") Duration sessionIdle,
                        @Bindable(defaultValue = "12h") Duration sessionMax,
                        @Bindable(defaultValue = "5m") Duration sweepInterval) {
    public static final String IDLE_KEY = "latchkey.web.session-idle";
    public static final String MAX_KEY = "latchkey.web.session-max";
    public static final String SWEEP_KEY = "latchkey.web.sweep-interval";

    public WebConfig {
        if (sessionIdle == null || sessionIdle.compareTo(Duration.ofMinutes(1)) < 0 || sessionIdle.compareTo(Duration.ofHours(12)) > 0) {
            throw new ConfigurationException(IDLE_KEY + " must be between 1m and 12h, got " + sessionIdle);
        }
        if (sessionMax == null || sessionMax.compareTo(sessionIdle) < 0 || sessionMax.compareTo(Duration.ofDays(7)) > 0) {
            throw new ConfigurationException(MAX_KEY + " must be between " + IDLE_KEY + " and 7d, got " + sessionMax);
        }
        if (sweepInterval == null || sweepInterval.compareTo(Duration.ofSeconds(10)) < 0 || sweepInterval.compareTo(Duration.ofHours(1)) > 0) {
            throw new ConfigurationException(SWEEP_KEY + " must be a duration between 10s and 1h, got " + sweepInterval);
        }
    }
}
