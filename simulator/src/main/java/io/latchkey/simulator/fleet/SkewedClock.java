package io.latchkey.simulator.fleet;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Objects;

/** A car's own clock: the true clock plus an offset the fault injector can change at any time. */
public final class SkewedClock extends Clock {
    private final Clock base;
    private volatile Duration skew;

    public SkewedClock(Clock base, Duration skew) {
        this.base = Objects.requireNonNull(base, "base");
        this.skew = Objects.requireNonNull(skew, "skew");
    }

    public void skew(Duration skew) {
        this.skew = Objects.requireNonNull(skew, "skew");
    }

    public Duration skew() {
        return skew;
    }

    @Override
    public ZoneId getZone() {
        return base.getZone();
    }

    @Override
    public Clock withZone(ZoneId zone) {
        return new SkewedClock(base.withZone(zone), skew);
    }

    @Override
    public Instant instant() {
        return base.instant().plus(skew);
    }

    @Override
    public long millis() {
        return base.millis() + skew.toMillis();
    }
}
