package io.latchkey.cloud.booking;

import io.micronaut.context.annotation.Context;
import io.micronaut.context.env.Environment;
import io.micronaut.context.exceptions.ConfigurationException;
import java.time.Duration;
import java.util.Map;

/**
 * Reads {@link BookingsConfig} at start-up, so that a limit out of range, or one that is not a duration or
 * number at all (which Micronaut would silently replace by the default), stops the start naming the key.
 */
@Context
public class BookingsConfigCheck implements io.latchkey.cloud.ConfigurationCheck {
    private static final Map<String, Class<?>> KEYS = Map.of("max-advance", Duration.class, "max-length", Duration.class,
            "max-backdate", Duration.class, "max-open-per-borrower", Integer.class, "reservation-hold", Duration.class, "immediate-length", Duration.class,
            "sweep-interval", Duration.class);

    public BookingsConfigCheck(Environment environment, BookingsConfig config) {
        KEYS.forEach((name, type) -> {
            String key = BookingsConfig.PREFIX + name;
            if (environment.containsProperty(key) && environment.getProperty(key, type).isEmpty()) {
                throw new ConfigurationException(key + " must be a " + (type == Duration.class ? "duration" : "whole number")
                        + ", got '" + environment.getProperty(key, String.class).orElse("") + "'");
            }
        });
    }
}
