package io.latchkey.cloud.event;

import io.micronaut.context.annotation.Context;
import io.micronaut.context.env.Environment;
import io.micronaut.context.exceptions.ConfigurationException;
import java.time.Duration;
import java.util.Map;

/**
 * Reads {@link EventsConfig} at start-up, so that a duration out of range, or one that is not a duration at all
 * (which Micronaut would silently replace by the default), stops the start naming the key.
 */
@Context
public class EventsConfigCheck implements io.latchkey.cloud.ConfigurationCheck {
    private static final Map<String, Class<?>> KEYS = Map.of("offline-after", Duration.class, "sweep-interval", Duration.class);

    public EventsConfigCheck(Environment environment, EventsConfig config) {
        KEYS.forEach((name, type) -> {
            String key = EventsConfig.PREFIX + name;
            if (environment.containsProperty(key) && environment.getProperty(key, type).isEmpty()) {
                throw new ConfigurationException(key + " must be a duration, got '"
                        + environment.getProperty(key, String.class).orElse("") + "'");
            }
        });
    }
}
