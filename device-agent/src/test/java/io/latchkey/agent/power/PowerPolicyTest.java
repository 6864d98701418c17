package io.latchkey.agent.power;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.latchkey.hal.config.ConfigException;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;

class PowerPolicyTest {
    private static final Instant T0 = Instant.parse("2026-03-01T08:00:00Z");
    private static final OptionalDouble HEALTHY = OptionalDouble.of(12.6);
    private static final OptionalDouble UNKNOWN = OptionalDouble.empty();

    private final PowerSettings settings = PowerSettings.DEFAULTS;
    private final PowerPolicy policy = new PowerPolicy(settings, false);

    private PowerPolicy.Decision at(Duration after, OptionalDouble volts, boolean parked, Instant booking) {
        return policy.update(T0.plus(after), volts, false, parked, booking);
    }

    @Test
    void defaultsAreTheDocumentedOnes() {
        assertEquals(Duration.ofSeconds(240), settings.protectDelay());
        assertEquals(12.0, settings.protectVolts());
        assertEquals(12.4, settings.recoverVolts());
        assertEquals(Duration.ofHours(3), settings.sleepAfter());
        assertEquals(Duration.ofHours(6), settings.sleepWakeEvery());
        assertEquals(Duration.ofSeconds(60), settings.protectCheckEvery());
    }

    @Test
    void parkedCarGoesFromNormalToEconomyToSleepAtItsDelays() {
        assertEquals(PowerState.NORMAL, at(Duration.ZERO, HEALTHY, true, null).state());
        assertEquals(PowerState.NORMAL, at(Duration.ofMinutes(9), HEALTHY, true, null).state());
        assertEquals(PowerState.ECONOMY, at(Duration.ofMinutes(10), HEALTHY, true, null).state());
        assertEquals(PowerState.ECONOMY, at(Duration.ofMinutes(179), HEALTHY, true, null).state());
        PowerPolicy.Decision asleep = at(Duration.ofHours(3), HEALTHY, true, null);
        assertEquals(PowerState.SLEEP, asleep.state());
        assertEquals(T0.plus(Duration.ofHours(9)), asleep.nextWake(), "wakes sleep-wake-every after falling asleep");
    }

    @Test
    void drivingResetsTheParkedTimers() {
        at(Duration.ZERO, HEALTHY, true, null);
        assertEquals(PowerState.ECONOMY, at(Duration.ofMinutes(20), HEALTHY, true, null).state());
        assertEquals(PowerState.NORMAL, at(Duration.ofMinutes(21), HEALTHY, false, null).state());
        assertEquals(PowerState.NORMAL, at(Duration.ofMinutes(22), HEALTHY, true, null).state(), "parked again: counts from here");
        assertEquals(PowerState.NORMAL, at(Duration.ofMinutes(31), HEALTHY, true, null).state());
        assertEquals(PowerState.ECONOMY, at(Duration.ofMinutes(32), HEALTHY, true, null).state());
    }

    @Test
    void sleepingCarWakesOnItsTimerStaysAwakeForWakeForThenSleepsAgain() {
        at(Duration.ZERO, HEALTHY, true, null);
        at(Duration.ofHours(3), HEALTHY, true, null);
        assertEquals(PowerState.SLEEP, at(Duration.ofHours(8).plusMinutes(59), HEALTHY, true, null).state());
        PowerPolicy.Decision awake = at(Duration.ofHours(9), HEALTHY, true, null);
        assertEquals(PowerState.ECONOMY, awake.state());
        assertNull(awake.nextWake());
        assertEquals(PowerState.ECONOMY, at(Duration.ofHours(9).plusMinutes(4), HEALTHY, true, null).state());
        PowerPolicy.Decision again = at(Duration.ofHours(9).plusMinutes(5), HEALTHY, true, null);
        assertEquals(PowerState.SLEEP, again.state());
        assertEquals(T0.plus(Duration.ofHours(15).plusMinutes(5)), again.nextWake());
    }

    @Test
    void sleepingCarWakesBookingLeadAheadOfTheNextBookingAndStaysUpUntilItStarts() {
        Instant booking = T0.plus(Duration.ofHours(5));
        at(Duration.ZERO, HEALTHY, true, booking);
        PowerPolicy.Decision asleep = at(Duration.ofHours(3), HEALTHY, true, booking);
        assertEquals(PowerState.SLEEP, asleep.state());
        assertEquals(booking.minus(Duration.ofMinutes(15)), asleep.nextWake(), "the booking comes before the timer");
        assertEquals(PowerState.SLEEP, at(Duration.ofHours(4).plusMinutes(44), HEALTHY, true, booking).state());
        assertEquals(PowerState.NORMAL, at(Duration.ofHours(4).plusMinutes(45), HEALTHY, true, booking).state());
        // no sleep around the booking's start, even beyond wake-for
        assertEquals(PowerState.NORMAL, at(Duration.ofHours(5).plusMinutes(14), HEALTHY, true, booking).state());
        // the borrower did not come: after the lead past the start the car sleeps again
        assertEquals(PowerState.SLEEP, at(Duration.ofHours(5).plusMinutes(15), HEALTHY, true, booking).state());
    }

    @Test
    void aBookingLearntWhileAsleepMovesTheWakeEarlier() {
        at(Duration.ZERO, HEALTHY, true, null);
        assertEquals(T0.plus(Duration.ofHours(9)), at(Duration.ofHours(3), HEALTHY, true, null).nextWake());
        Instant booking = T0.plus(Duration.ofHours(4));
        PowerPolicy.Decision d = at(Duration.ofHours(3).plusMinutes(1), HEALTHY, true, booking);
        assertEquals(PowerState.SLEEP, d.state());
        assertEquals(booking.minus(Duration.ofMinutes(15)), d.nextWake());
    }

    @Test
    void aDipShorterThanTheProtectDelayChangesNothing() {
        assertEquals(PowerState.NORMAL, at(Duration.ZERO, OptionalDouble.of(11.5), false, null).state());
        assertEquals(PowerState.NORMAL, at(Duration.ofSeconds(239), OptionalDouble.of(11.5), false, null).state());
        assertEquals(PowerState.NORMAL, at(Duration.ofSeconds(240), OptionalDouble.of(12.0), false, null).state(), "recovered just in time");
        // the delay starts again from the next dip
        assertEquals(PowerState.NORMAL, at(Duration.ofSeconds(300), OptionalDouble.of(11.5), false, null).state());
        assertEquals(PowerState.NORMAL, at(Duration.ofSeconds(539), OptionalDouble.of(11.5), false, null).state());
        assertEquals(PowerState.PROTECT, at(Duration.ofSeconds(540), OptionalDouble.of(11.5), false, null).state());
    }

    @Test
    void anUnknownReadingNeitherStartsNorEndsTheProtectDelay() {
        at(Duration.ZERO, OptionalDouble.of(11.5), true, null);
        assertEquals(PowerState.NORMAL, at(Duration.ofSeconds(120), UNKNOWN, true, null).state());
        assertEquals(PowerState.PROTECT, at(Duration.ofSeconds(240), UNKNOWN, true, null).state());
        PowerPolicy fresh = new PowerPolicy(settings, false);
        assertEquals(PowerState.NORMAL, fresh.update(T0.plus(Duration.ofHours(1)), UNKNOWN, false, false, null).state());
    }

    @Test
    void protectHoldsUntilTheRecoverVoltageNotJustAboveTheThreshold() {
        at(Duration.ZERO, OptionalDouble.of(11.6), true, null);
        PowerPolicy.Decision p = at(Duration.ofMinutes(4), OptionalDouble.of(11.6), true, null);
        assertEquals(PowerState.PROTECT, p.state());
        assertEquals(T0.plus(Duration.ofMinutes(5)), p.nextWake(), "the next voltage check");
        assertEquals(PowerState.PROTECT, at(Duration.ofMinutes(10), OptionalDouble.of(12.2), true, null).state(), "above protect, below recover");
        assertEquals(PowerState.PROTECT, at(Duration.ofMinutes(11), UNKNOWN, true, null).state());
        // even a booking does not wake a protected car: starting the engine matters more
        assertEquals(PowerState.PROTECT, at(Duration.ofMinutes(12), OptionalDouble.of(12.3), true, T0.plus(Duration.ofMinutes(15))).state());
        PowerPolicy.Decision back = at(Duration.ofMinutes(13), OptionalDouble.of(12.4), true, null);
        assertEquals(PowerState.NORMAL, back.state());
        assertNull(back.nextWake());
        assertEquals(PowerState.ECONOMY, at(Duration.ofMinutes(23), OptionalDouble.of(12.4), true, null).state(), "parked counts from the recovery");
    }

    @Test
    void protectedAtStartStaysProtectedUntilRecovered() {
        PowerPolicy restarted = new PowerPolicy(settings, true);
        assertEquals(PowerState.PROTECT, restarted.state());
        assertEquals(PowerState.PROTECT, restarted.update(T0, OptionalDouble.of(12.0), false, true, null).state());
        assertEquals(PowerState.NORMAL, restarted.update(T0.plusSeconds(60), OptionalDouble.of(12.5), false, true, null).state());
    }

    @Test
    void lowBatteryMeansEconomyAtOnceWhileParked() {
        assertEquals(PowerState.ECONOMY, policy.update(T0, HEALTHY, true, true, null).state());
        assertEquals(PowerState.NORMAL, policy.update(T0.plusSeconds(1), HEALTHY, true, false, null).state(), "driving");
    }

    @Test
    void settingsParseAndRefuseNonsense() {
        PowerSettings s = PowerSettings.parse(Map.of("power.protect-volts", "11.5", "power.protect-delay", "30s",
                "power.recover-volts", "12.2", "tenant", "acme"));
        assertEquals(11.5, s.protectVolts());
        assertEquals(Duration.ofSeconds(30), s.protectDelay());
        assertThrows(ConfigException.class, () -> PowerSettings.parse(Map.of("power.protect-volt", "11.5")));
        assertThrows(ConfigException.class, () -> PowerSettings.parse(Map.of("power.recover-volts", "11.0")));
        assertThrows(ConfigException.class, () -> PowerSettings.parse(Map.of("power.sleep-after", "5m")));
        assertThrows(ConfigException.class, () -> PowerSettings.parse(Map.of("power.wake-for", "soon")));
    }
}
