package io.latchkey.cloud.car;

import static org.assertj.core.api.Assertions.assertThat;

import io.latchkey.protocol.LockState;
import io.latchkey.protocol.telemetry.TelemetryRecord;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CarStateTest {
    private static final Instant T0 = Instant.parse("2026-11-23T17:00:00Z");

    private static TelemetryRecord record(long seq, Map<String, Double> signals) {
        return new TelemetryRecord(seq, T0, 52.52, 13.405, 0.0, 20_000.0, LockState.LOCKED, false, false, 3, signals,
                "PERIODIC");
    }

    @Test
    void anElectricCar_showsItsStateOfCharge_likeAFuelCarShowsItsFuel() {
        CarState ev = CarState.UNKNOWN.merge(record(1, Map.of(CarState.STATE_OF_CHARGE, 80.4)), T0);
        CarState fuel = CarState.UNKNOWN.merge(record(1, Map.of(CarState.FUEL_LEVEL, 63.0)), T0);

        assertThat(ev.socPercent()).isEqualTo(80.4);
        assertThat(ev.fuelPercent()).isNull();
        assertThat(fuel.fuelPercent()).isEqualTo(63.0);
        assertThat(fuel.socPercent()).isNull();
    }

    @Test
    void aRecordWithoutTheSignal_keepsTheLastKnownCharge_andAnOlderRecordChangesNothing() {
        CarState charged = CarState.UNKNOWN.merge(record(5, Map.of(CarState.STATE_OF_CHARGE, 80.4)), T0);

        CarState later = charged.merge(record(6, null), T0.plusSeconds(60));
        CarState older = later.merge(record(4, Map.of(CarState.STATE_OF_CHARGE, 10.0)), T0.plusSeconds(90));

        assertThat(later.socPercent()).isEqualTo(80.4);
        assertThat(later.lastSeq()).isEqualTo(6);
        assertThat(older).isEqualTo(later);
        assertThat(later.withLock(LockState.UNLOCKED, true, T0).socPercent()).isEqualTo(80.4);
        assertThat(later.withOnline(false, T0).socPercent()).isEqualTo(80.4);
    }

    @Test
    void immobilised_isUnknownUntilTheCarAnswers_thenKeptByEveryOtherChange_andSetByTheSignal() {
        CarState parked = CarState.UNKNOWN.merge(record(1, null), T0);
        assertThat(parked.immobilised()).isNull();

        CarState immobilised = parked.withImmobilised(true, T0.plusSeconds(5));
        assertThat(immobilised.immobilised()).isTrue();
        assertThat(immobilised.merge(record(2, Map.of(CarState.FUEL_LEVEL, 40.0)), T0).immobilised()).isTrue();
        assertThat(immobilised.withLock(LockState.UNLOCKED, false, T0).immobilised()).isTrue();
        assertThat(immobilised.withOnline(false, T0).immobilised()).isTrue();
        assertThat(immobilised.withImmobilised(false, T0).immobilised()).isFalse();
        // a car that reports its immobiliser in telemetry
        assertThat(immobilised.merge(record(3, Map.of(CarState.IMMOBILISED, 0.0)), T0).immobilised()).isFalse();
        assertThat(parked.merge(record(3, Map.of(CarState.IMMOBILISED, 1.0)), T0).immobilised()).isTrue();
    }
}
