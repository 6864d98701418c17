package io.latchkey.cloud.rental;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.context.exceptions.ConfigurationException;
import io.micronaut.core.bind.annotation.Bindable;
import java.time.Duration;

/**
 * @param sweepInterval {@code latchkey.rentals.sweep-interval}: how often active rentals past their end are ended (a
 *                      parked car) or marked overdue (a car still out), and refused immobiliser commands are tried
 *                      again (default 1 minute; 1 second to 1 hour)
 */
@ConfigurationProperties("latchkey.rentals")
public record RentalsConfig(@Bindable(defaultValue = "1m") Duration sweepInterval) {
    public static final String PREFIX = "latchkey.rentals.";

    public RentalsConfig {
        if (sweepInterval == null || sweepInterval.compareTo(Duration.ofSeconds(1)) < 0
                || sweepInterval.compareTo(Duration.ofHours(1)) > 0) {
            throw new ConfigurationException(PREFIX + "sweep-interval must be a duration between 1s and 1h, got " + sweepInterval);
        }
    }
}
