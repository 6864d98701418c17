package io.latchkey.cloud.account;

import io.micronaut.context.annotation.Context;
import io.micronaut.context.env.Environment;
import io.micronaut.context.exceptions.ConfigurationException;
import java.time.Duration;

/**
 * Reads {@link AccountsConfig} at start-up, so that a reset window outside 15..60 minutes, or one that is
 * not a duration at all (which Micronaut would silently replace by the default), stops the start.
 */
@Context
public class AccountsConfigCheck implements io.latchkey.cloud.ConfigurationCheck {
    public AccountsConfigCheck(Environment environment, AccountsConfig config) {
        String key = AccountsConfig.RESET_WINDOW_KEY;
        if (environment.containsProperty(key) && environment.getProperty(key, Duration.class).isEmpty()) {
            throw new ConfigurationException(key + " must be a duration between 15m and 60m, got '"
                    + environment.getProperty(key, String.class).orElse("") + "'");
        }
    }
}
