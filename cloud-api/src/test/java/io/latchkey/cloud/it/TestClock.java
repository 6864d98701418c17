package io.latchkey.cloud.it;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicReference;

/** A clock that stands still where the test sets it (unit tests; {@link MutableClock} moves with the system's for ITs). */
public final class TestClock extends UtcClock {
    private final AtomicReference<Instant> now;

    public TestClock(Instant start) {
        this.now = new AtomicReference<>(start);
    }

    public void set(Instant instant) {
        now.set(instant);
    }

    /** Moves the clock on; returns the new time. */
    public Instant advance(Duration by) {
        return now.updateAndGet(t -> t.plus(by));
    }

    /** The same as {@link #instant()}. */
    public Instant get() {
        return now.get();
    }

    @Override
    public Instant instant() {
        return now.get();
    }
}
