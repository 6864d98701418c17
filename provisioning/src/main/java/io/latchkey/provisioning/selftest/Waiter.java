package io.latchkey.provisioning.selftest;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.function.BooleanSupplier;

/** Polls a condition until it holds or a deadline passes; time and sleeping are injected for tests. */
public final class Waiter {
    @FunctionalInterface
    public interface Sleeper {
        void sleep(Duration duration) throws InterruptedException;
    }

    static final Duration POLL = Duration.ofMillis(50);

    private final Clock clock;
    private final Sleeper sleeper;

    public Waiter(Clock clock, Sleeper sleeper) {
        this.clock = clock;
        this.sleeper = sleeper;
    }

    public static Waiter real(Clock clock) {
        return new Waiter(clock, d -> Thread.sleep(d.toMillis()));
    }

    /** True as soon as {@code condition} holds, false if it still does not at {@code timeout}. */
    public boolean await(BooleanSupplier condition, Duration timeout) {
        Instant deadline = clock.instant().plus(timeout);
        while (true) {
            if (condition.getAsBoolean()) {
                return true;
            }
            if (!clock.instant().isBefore(deadline)) {
                return false;
            }
            try {
                sleeper.sleep(POLL);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return condition.getAsBoolean();
            }
        }
    }
}
