package io.latchkey.cloud.web;

import io.micronaut.context.annotation.Context;
import io.micronaut.context.env.Environment;
import io.micronaut.context.exceptions.ConfigurationException;
import java.time.Duration;
import java.util.List;

/**
 * Reads {@link WebConfig} and {@link TilesConfig} at start-up, so that a value that is not a duration (silently the
 * default otherwise) or a bad tile source stops the start.
 */
@Context
public class WebConfigCheck implements io.latchkey.cloud.ConfigurationCheck {
    public WebConfigCheck(Environment environment, WebConfig config, TilesConfig tiles) {
        for (String key : List.of(WebConfig.IDLE_KEY, WebConfig.MAX_KEY, WebConfig.SWEEP_KEY)) {
            if (environment.containsProperty(key) && environment.getProperty(key, Duration.class).isEmpty()) {
                throw new ConfigurationException(key + " must be a duration, got '"
                        + environment.getProperty(key, String.class).orElse("") + "'");
            }
        }
    }
}
