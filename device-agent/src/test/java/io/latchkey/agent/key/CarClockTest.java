package io.latchkey.agent.key;

import static org.assertj.core.api.Assertions.assertThat;

import io.latchkey.protocol.key.CarTime;
import io.latchkey.protocol.key.CarTime.Confidence;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class CarClockTest {
    static final Instant T = Instant.parse("2026-12-05T10:00:00Z");
    final AtomicLong nanos = new AtomicLong(42);
    final CarClock clock = new CarClock(nanos::get);

    @Test
    void nothingKnown_isUnknown_andAPhonesSignedTimeAloneDoesNotChangeThat() {
        assertThat(clock.now().confidence()).isEqualTo(Confidence.UNKNOWN);
        assertThat(clock.atLeast(T, false)).isFalse();
        assertThat(clock.raisedBy(T).confidence()).isEqualTo(Confidence.UNKNOWN);
        assertThat(clock.bound()).isNull();
    }

    @Test
    void aTrustedInstant_runsOnWithTheMonotonicClock() {
        clock.trusted(T, "GNSS", CarTime.SKEW);
        nanos.addAndGet(Duration.ofMinutes(90).toNanos());
        assertThat(clock.now()).isEqualTo(new CarTime(T.plus(Duration.ofMinutes(90)), Confidence.TRUSTED));
        assertThat(clock.atLeast(T.plus(Duration.ofDays(1)), false)).as("a bound never overrides trusted time").isFalse();
    }

    @Test
    void theTimeNeverGoesBackwards_pastTheTolerance() {
        clock.atLeast(T, true);
        clock.trusted(T.minus(Duration.ofHours(3)), "a replayed command", CarTime.SKEW);
        assertThat(clock.now().confidence()).isEqualTo(Confidence.LOWER_BOUND);
        assertThat(clock.now().now()).isEqualTo(T);
        clock.trusted(T.minusSeconds(30), "GNSS a little behind", CarTime.SKEW);
        assertThat(clock.now()).isEqualTo(new CarTime(T.minusSeconds(30), Confidence.TRUSTED));
    }

    @Test
    void aLowerBound_isRaisedOnlyForward_andRaisedByPreviewsWithoutCommitting() {
        clock.atLeast(T, true);
        nanos.addAndGet(Duration.ofMinutes(10).toNanos());
        assertThat(clock.atLeast(T.plusSeconds(60), false)).as("earlier than the bound has run to").isFalse();
        assertThat(clock.raisedBy(T.plus(Duration.ofHours(2))).now()).isEqualTo(T.plus(Duration.ofHours(2)));
        assertThat(clock.now().now()).isEqualTo(T.plus(Duration.ofMinutes(10)));
        assertThat(clock.atLeast(T.plus(Duration.ofHours(2)), false)).isTrue();
        assertThat(clock.bound()).isEqualTo(T.plus(Duration.ofHours(2)));
    }
}
