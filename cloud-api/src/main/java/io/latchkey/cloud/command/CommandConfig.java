package io.latchkey.cloud.command;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.context.exceptions.ConfigurationException;
import io.micronaut.core.bind.annotation.Bindable;
import java.time.Duration;

/**
 * @param timeout {@code latchkey.commands.timeout}: how long an HTTP command call waits for the car;
 *                it is also the command's lifetime, so a car can never act on it after the caller gave up
 */
@ConfigurationProperties("latchkey.commands")
public record CommandConfig(@Bindable(defaultValue = "10s") Duration timeout) {
    private static final Duration MAX = Duration.ofMinutes(2);

    public CommandConfig {
        if (timeout == null || timeout.isNegative() || timeout.isZero() || timeout.compareTo(MAX) > 0) {
            throw new ConfigurationException("latchkey.commands.timeout must be more than 0 and at most " + MAX + ", got " + timeout);
        }
    }
}
