package io.latchkey.cloud.live;

import io.micronaut.context.annotation.Context;
import io.micronaut.context.env.Environment;
import io.micronaut.context.exceptions.ConfigurationException;
import java.time.Duration;
import java.util.Map;

/**
 * Reads {@link LiveConfig} at start-up, so that a bound out of range, or one that is not a duration or number at
 * all (which Micronaut would silently replace by the default), stops the start naming the key.
 */
@Context
public class LiveConfigCheck implements io.latchkey.cloud.ConfigurationCheck {
    private static final Map<String, Class<?>> KEYS = Map.of("replay-events", Integer.class, "connection-queue", Integer.class,
            "keep-alive", Duration.class, "access-recheck", Duration.class, "snapshot-refresh", Duration.class);

    public LiveConfigCheck(Environment environment, LiveConfig config) {
        KEYS.forEach((name, type) -> {
            String key = LiveConfig.PREFIX + name;
            if (environment.containsProperty(key) && environment.getProperty(key, type).isEmpty()) {
                throw new ConfigurationException(key + " must be a " + (type == Duration.class ? "duration" : "whole number")
                        + ", got '" + environment.getProperty(key, String.class).orElse("") + "'");
            }
        });
    }
}
