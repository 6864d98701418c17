package io.latchkey.cloud.rental;

import io.micronaut.context.annotation.Context;
import io.micronaut.context.env.Environment;
import io.micronaut.context.exceptions.ConfigurationException;
import java.time.Duration;

/**
 * Reads {@link RentalsConfig} at start-up, so that a sweep interval out of range, or one that is not a duration at all
 * (which Micronaut would silently replace by the default), stops the start naming the key.
 */
@Context
public class RentalsConfigCheck implements io.latchkey.cloud.ConfigurationCheck {
    public RentalsConfigCheck(Environment environment, RentalsConfig config) {
        String key = RentalsConfig.PREFIX + "sweep-interval";
        if (environment.containsProperty(key) && environment.getProperty(key, Duration.class).isEmpty()) {
            throw new ConfigurationException(key + " must be a duration, got '"
                    + environment.getProperty(key, String.class).orElse("") + "'");
        }
    }
}
