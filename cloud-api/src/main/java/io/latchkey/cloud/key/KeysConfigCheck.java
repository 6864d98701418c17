package io.latchkey.cloud.key;

import io.micronaut.context.annotation.Context;
import io.micronaut.context.env.Environment;
import io.micronaut.context.exceptions.ConfigurationException;
import java.time.Duration;

/**
 * Reads {@link KeysConfig} at start-up, so that a lifetime out of range, or one that is not a duration at all (which
 * Micronaut would silently replace by the default), stops the start naming the key.
 */
@Context
public class KeysConfigCheck implements io.latchkey.cloud.ConfigurationCheck {
    public KeysConfigCheck(Environment environment, KeysConfig config) {
        String key = KeysConfig.PREFIX + "lifetime";
        if (environment.containsProperty(key) && environment.getProperty(key, Duration.class).isEmpty()) {
            throw new ConfigurationException(key + " must be a duration, got '"
                    + environment.getProperty(key, String.class).orElse("") + "'");
        }
    }
}
