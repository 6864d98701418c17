package io.latchkey.hal.time;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.function.LongSupplier;

/**
 * A hardware RTC at the level of what it reads: it counts on the monotonic clock it is given from the time last
 * set, gains or loses {@code driftPpm}, and can lose power: {@link #losePower()} (a chip that flags it: reads nothing
 * until set) or {@link #restartFrom(Instant)} (a chip that does not: it starts counting again from its epoch).
 */
public final class SimulatedRtc implements Rtc {
    private final LongSupplier nanoTime;
    private Instant base;
    private long baseNanos;
    private double driftPpm;

    /** An RTC that has never been set (it reads nothing). */
    public SimulatedRtc(LongSupplier nanoTime) {
        this.nanoTime = Objects.requireNonNull(nanoTime, "nanoTime");
    }

    @Override
    public synchronized Optional<Instant> read() {
        if (base == null) {
            return Optional.empty();
        }
        long elapsed = nanoTime.getAsLong() - baseNanos;
        long drifted = elapsed + Math.round(elapsed * driftPpm / 1e6);
        return Optional.of(base.plusNanos(drifted).truncatedTo(java.time.temporal.ChronoUnit.SECONDS));
    }

    @Override
    public synchronized void set(Instant time) {
        base = Objects.requireNonNull(time, "time").truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
        baseNanos = nanoTime.getAsLong();
    }

    /** Its backup battery ran out and the chip flagged the stop: it reads nothing until set again. */
    public synchronized void losePower() {
        base = null;
    }

    /** Its backup battery ran out and the chip did not notice: it counts again from {@code epoch}. */
    public synchronized void restartFrom(Instant epoch) {
        set(epoch);
    }

    /** How fast it runs against the monotonic clock, in parts per million (a DS3231: within ±2). */
    public synchronized void drift(double ppm) {
        driftPpm = ppm;
    }

    /** How far it has drifted after {@code elapsed}, for tests that check a bound. */
    public synchronized Duration driftOver(Duration elapsed) {
        return Duration.ofNanos(Math.round(elapsed.toNanos() * driftPpm / 1e6));
    }

    @Override
    public String name() {
        return "simulated";
    }
}
