package io.latchkey.cloud.command;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.context.exceptions.ConfigurationException;
import io.micronaut.core.bind.annotation.Bindable;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * @param timeout {@code latchkey.commands.timeout}: how long an HTTP command call waits for the car;
 *                it is also the command's lifetime, so a car can never act on it after the caller gave up
 * @param resend  {@code latchkey.commands.resend}: while no answer came the same signed command is sent
 *                again (a command or answer lost with a broker's session costs a resend) after this long, then after
 *                twice, four times as long..., as long as a whole interval of its lifetime is left
 * @param slowAfter {@code latchkey.commands.slow-after}: a command whose answer took this long or longer inside the
 *                replica is logged with where its time went (checks, record, publish, car, answer; docs/operations.md,
 *                "Slow commands"); {@code 0} logs none
 */
@ConfigurationProperties("latchkey.commands")
public record CommandConfig(@Bindable(defaultValue = "10s") Duration timeout,
                            @Bindable(defaultValue = "1s") Duration resend,
                            @Bindable(defaultValue = "1s") Duration slowAfter) {
    private static final Duration MAX = Duration.ofMinutes(2);
    private static final Duration MIN_RESEND = Duration.ofMillis(100);

    public CommandConfig {
        if (timeout == null || timeout.isNegative() || timeout.isZero() || timeout.compareTo(MAX) > 0) {
            throw new ConfigurationException("latchkey.commands.timeout must be more than 0 and at most " + MAX + ", got " + timeout);
        }
        if (resend == null) {
            resend = Duration.ofSeconds(1);
        }
        if (resend.compareTo(MIN_RESEND) < 0) {
            throw new ConfigurationException("latchkey.commands.resend must be at least " + MIN_RESEND.toMillis()
                    + " ms, got " + resend);
        }
        if (slowAfter == null) {
            slowAfter = Duration.ofSeconds(1);
        }
        if (slowAfter.isNegative()) {
            throw new ConfigurationException("latchkey.commands.slow-after must be 0 (off) or more, got " + slowAfter);
        }
    }

    /**
     * When the copies of a command are sent, counted from the first: 0, then {@code resend}, {@code 3 resend},
     * {@code 7 resend}... while a whole {@code resend} of the lifetime is left after the copy (a car whose clock runs
     * a little ahead still sees it in time; a copy that reached the car after its expiry would be refused as
     * expired even where the first copy was carried out, and its answer would then misreport the command).
     */
    public List<Duration> copiesAt() {
        List<Duration> at = new ArrayList<>();
        at.add(Duration.ZERO);
        Duration next = resend;
        Duration gap = resend;
        while (next.plus(resend).compareTo(timeout) <= 0) {
            at.add(next);
            gap = gap.multipliedBy(2);
            next = next.plus(gap);
        }
        return List.copyOf(at);
    }
}
