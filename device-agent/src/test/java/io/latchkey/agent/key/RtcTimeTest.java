package io.latchkey.agent.key;

import static org.assertj.core.api.Assertions.assertThat;

import io.latchkey.agent.key.RtcTime.Decision;
import io.latchkey.hal.HalException;
import io.latchkey.hal.time.Rtc;
import io.latchkey.hal.time.SimulatedRtc;
import io.latchkey.protocol.key.CarTime;
import io.latchkey.protocol.key.CarTime.Confidence;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The hardware RTC as a time source (docs/offline-keys.md §7): trusted only when this car set it from a trusted
 * source since it last lost power. Each "restart" is a new {@link CarClock} on the same data dir and the same RTC.
 */
class RtcTimeTest {
    static final Instant T0 = Instant.parse("2026-12-06T01:00:00Z");

    @TempDir
    Path dataDir;
    final AtomicLong nanos = new AtomicLong(1_000_000_000L);
    final SimulatedRtc rtc = new SimulatedRtc(nanos::get);

    CarClock restart() {
        return new CarClock(nanos::get);
    }

    void pass(Duration d) {
        nanos.addAndGet(d.toNanos());
    }

    @Test
    void setFromGnss_thenTrustedAfterARestartWithNoOtherSource() {
        CarClock running = restart();
        RtcTime rtcTime = new RtcTime(rtc, running, dataDir);
        assertThat(rtcTime.sync()).as("nothing trusted yet: nothing written").isFalse();
        assertThat(rtc.read()).isEmpty();
        running.trusted(T0, "GNSS", CarTime.SKEW);
        assertThat(rtcTime.sync()).isTrue();
        assertThat(rtc.read()).contains(T0);

        pass(Duration.ofHours(3)); // the car sleeps underground, then the agent starts with no GNSS, no network
        CarClock clock = restart();
        assertThat(new RtcTime(rtc, clock, dataDir).apply()).isEqualTo(Decision.TRUSTED);
        assertThat(clock.now()).isEqualTo(new CarTime(T0.plus(Duration.ofHours(3)), Confidence.TRUSTED));
        assertThat(clock.trustedSource()).isEqualTo(RtcTime.SOURCE);
        // a clock trusted from the RTC does not write itself back (its drift would then never be corrected)
        assertThat(new RtcTime(rtc, clock, dataDir).sync()).isFalse();
    }

    @Test
    void anRtcThisCarNeverSet_isNotTrusted() {
        rtc.set(T0); // set at the factory, or by someone with access to the bus
        CarClock clock = restart();
        assertThat(new RtcTime(rtc, clock, dataDir).apply()).isEqualTo(Decision.NEVER_SET);
        assertThat(clock.now().confidence()).isEqualTo(Confidence.UNKNOWN);
    }

    @Test
    void anRtcThatLostPowerAndSaysSo_isNotTrusted_untilSetAgain() {
        CarClock running = restart();
        running.trusted(T0, "a verified command", CarTime.SKEW);
        new RtcTime(rtc, running, dataDir).sync();
        rtc.losePower();
        CarClock clock = restart();
        RtcTime rtcTime = new RtcTime(rtc, clock, dataDir);
        assertThat(rtcTime.apply()).isEqualTo(Decision.NO_TIME);
        assertThat(clock.now().confidence()).isEqualTo(Confidence.UNKNOWN);
        clock.trusted(T0.plusSeconds(60), "GNSS", CarTime.SKEW);
        assertThat(rtcTime.sync()).isTrue();
        CarClock next = restart();
        assertThat(new RtcTime(rtc, next, dataDir).apply()).isEqualTo(Decision.TRUSTED);
    }

    @Test
    void anRtcThatWentBack_lostPowerWithoutSayingSo_isNotTrusted() {
        CarClock running = restart();
        running.trusted(T0, "GNSS", CarTime.SKEW);
        new RtcTime(rtc, running, dataDir).sync();
        rtc.restartFrom(Instant.parse("2000-01-01T00:00:00Z"));
        CarClock clock = restart();
        assertThat(new RtcTime(rtc, clock, dataDir).apply()).isEqualTo(Decision.WENT_BACK);
        assertThat(clock.now().confidence()).isEqualTo(Confidence.UNKNOWN);
    }

    @Test
    void anRtcBehindTheCarsLowerBound_isNotTrusted_andTheBoundStays() {
        CarClock running = restart();
        running.trusted(T0, "GNSS", CarTime.SKEW);
        new RtcTime(rtc, running, dataDir).sync();
        rtc.drift(-500_000); // runs at half speed: a broken chip
        pass(Duration.ofHours(2));
        CarClock clock = restart();
        Instant bound = T0.plus(Duration.ofHours(2)); // persisted by the last run a minute before it stopped
        clock.atLeast(bound, true);
        assertThat(new RtcTime(rtc, clock, dataDir).apply()).isEqualTo(Decision.WENT_BACK);
        assertThat(clock.now()).isEqualTo(new CarTime(bound, Confidence.LOWER_BOUND));
    }

    @Test
    void withinTheSkew_aSlightlySlowRtcIsStillTrusted_andNeverMovesTheClockBack() {
        CarClock running = restart();
        running.trusted(T0, "GNSS", CarTime.SKEW);
        new RtcTime(rtc, running, dataDir).sync();
        rtc.drift(-100); // 100 ppm slow: 0.36 s an hour
        pass(Duration.ofHours(10));
        CarClock clock = restart();
        clock.atLeast(T0.plus(Duration.ofHours(10)).minusSeconds(30), true);
        assertThat(new RtcTime(rtc, clock, dataDir).apply()).isEqualTo(Decision.TRUSTED);
        assertThat(Duration.between(clock.now().now(), T0.plus(Duration.ofHours(10))).abs()).isLessThan(Duration.ofSeconds(5));
    }

    @Test
    void anRtcThatCannotBeRead_isNotUsed() {
        Rtc broken = new Rtc() {
            @Override
            public Optional<Instant> read() {
                throw new HalException("I2C bus error");
            }

            @Override
            public void set(Instant time) {
                throw new HalException("I2C bus error");
            }

            @Override
            public String name() {
                return "broken";
            }
        };
        CarClock clock = restart();
        RtcTime rtcTime = new RtcTime(broken, clock, dataDir);
        assertThat(rtcTime.apply()).isEqualTo(Decision.UNREADABLE);
        clock.trusted(T0, "GNSS", CarTime.SKEW);
        assertThat(rtcTime.sync()).isFalse();
        assertThat(clock.now().confidence()).isEqualTo(Confidence.TRUSTED);
    }
}
