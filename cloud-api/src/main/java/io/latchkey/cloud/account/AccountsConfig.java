package io.latchkey.cloud.account;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.context.exceptions.ConfigurationException;
import io.micronaut.core.bind.annotation.Bindable;
import java.time.Duration;

/**
 * Account rules that an operator may tune within what the policy allows.
 *
 * @param resetWindow {@code latchkey.accounts.reset-window}: how long a password reset may take from its
 *                    start to the new password, all steps included; 15 to 60 minutes (policy)
 */
@ConfigurationProperties("latchkey.accounts")
public record AccountsConfig(@Bindable(defaultValue = "30m") Duration resetWindow) {
    public static final String RESET_WINDOW_KEY = "latchkey.accounts.reset-window";
    public static final Duration MIN_RESET_WINDOW = Duration.ofMinutes(15);
    public static final Duration MAX_RESET_WINDOW = Duration.ofMinutes(60);

    public AccountsConfig {
        if (resetWindow == null || resetWindow.compareTo(MIN_RESET_WINDOW) < 0 || resetWindow.compareTo(MAX_RESET_WINDOW) > 0) {
            throw new ConfigurationException(RESET_WINDOW_KEY + " must be between 15m and 60m (policy), got " + resetWindow);
        }
    }
}
