package io.latchkey.cloud.device;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.context.exceptions.ConfigurationException;
import io.micronaut.core.bind.annotation.Bindable;
import java.time.Duration;

/**
 * @param sweepInterval {@code latchkey.keys.sweep-interval}: how often each replica looks for command keys whose
 *                      retirement is over and publishes the key set without them ({@link KeySetPublisher#retireKeys};
 *                      default 30 seconds; 1 second to 1 hour)
 */
@ConfigurationProperties("latchkey.keys")
public record KeysConfig(@Bindable(defaultValue = "30s") Duration sweepInterval) {
    public static final String PREFIX = "latchkey.keys.";

    public KeysConfig {
        if (sweepInterval == null || sweepInterval.compareTo(Duration.ofSeconds(1)) < 0
                || sweepInterval.compareTo(Duration.ofHours(1)) > 0) {
            throw new ConfigurationException(PREFIX + "sweep-interval must be a duration between 1s and 1h, got " + sweepInterval);
        }
    }
}
