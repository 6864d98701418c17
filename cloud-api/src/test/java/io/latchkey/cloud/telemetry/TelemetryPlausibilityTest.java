package io.latchkey.cloud.telemetry;

import static org.assertj.core.api.Assertions.assertThat;

import io.latchkey.protocol.LockState;
import io.latchkey.protocol.telemetry.TelemetryRecord;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class TelemetryPlausibilityTest {
    private static final Instant NOW = Instant.parse("2026-11-23T17:00:00Z");

    private static TelemetryRecord record(long seq, Instant time, Double lat, Double lon, Double speed, Double odometer,
                                          Integer gnssMode, Map<String, Double> signals) {
        return new TelemetryRecord(seq, time, lat, lon, speed, odometer, LockState.LOCKED, false, false, gnssMode, signals,
                "PERIODIC");
    }

    private static TelemetryRecord at(Double lat, Double lon, Double speed, Double odometer) {
        return record(5, NOW, lat, lon, speed, odometer, 3, Map.of());
    }

    private static TelemetryRecord withSignal(String name, double value) {
        return record(5, NOW, 52.5, 13.4, 0.0, 100.0, 3, Map.of(name, value));
    }

    private static Optional<String> refusal(TelemetryRecord r) {
        return TelemetryPlausibility.refusal(r, 4, NOW);
    }

    @Test
    void aCarParkedInBerlin_isPlausible_andSoIsARecordWithoutAFix() {
        assertThat(refusal(at(52.52, 13.405, 0.0, 12034.5))).isEmpty();
        assertThat(refusal(at(null, null, null, null))).isEmpty();
        assertThat(refusal(at(-90.0, 180.0, 360.0, 0.0))).as("the bounds themselves").isEmpty();
        assertThat(refusal(withSignal("Vehicle.Powertrain.FuelSystem.RelativeLevel", 100.0))).isEmpty();
        assertThat(refusal(withSignal("Vehicle.LowVoltageBattery.CurrentVoltage", 12.6))).isEmpty();
    }

    @Test
    void positionsOffTheMap_areRefused() {
        assertThat(refusal(at(999.0, 13.4, 0.0, 1.0))).contains("latitude");
        assertThat(refusal(at(-90.5, 13.4, 0.0, 1.0))).contains("latitude");
        assertThat(refusal(at(52.5, -999.0, 0.0, 1.0))).contains("longitude");
        assertThat(refusal(at(52.5, 180.01, 0.0, 1.0))).contains("longitude");
    }

    @Test
    void negativeOrImpossibleSpeedAndOdometer_areRefused() {
        assertThat(refusal(at(52.5, 13.4, -50.0, 1.0))).contains("speed");
        assertThat(refusal(at(52.5, 13.4, 361.0, 1.0))).contains("speed");
        assertThat(refusal(at(52.5, 13.4, 0.0, -1.0))).contains("odometer");
        assertThat(refusal(at(52.5, 13.4, 0.0, 1e12))).contains("odometer");
    }

    @Test
    void nanAndInfinity_areRefusedEverywhere() {
        assertThat(refusal(at(Double.NaN, 13.4, 0.0, 1.0))).contains("latitude");
        assertThat(refusal(at(52.5, Double.POSITIVE_INFINITY, 0.0, 1.0))).contains("longitude");
        assertThat(refusal(at(52.5, 13.4, Double.NaN, 1.0))).contains("speed");
        assertThat(refusal(at(52.5, 13.4, 0.0, Double.NEGATIVE_INFINITY))).contains("odometer");
        assertThat(refusal(withSignal("Vehicle.Speed", Double.NaN))).contains("signal");
    }

    @Test
    void percentagesAndSupplyVoltage_outOfRange_areRefused() {
        assertThat(refusal(withSignal("Vehicle.Powertrain.FuelSystem.RelativeLevel", 250.0))).contains("percent");
        assertThat(refusal(withSignal("Vehicle.Powertrain.TractionBattery.StateOfCharge.Current", -1.0))).contains("percent");
        assertThat(refusal(withSignal("Vehicle.LowVoltageBattery.CurrentVoltage", -3.0))).contains("voltage");
        assertThat(refusal(withSignal("Vehicle.LowVoltageBattery.CurrentVoltage", 400.0))).contains("voltage");
        assertThat(refusal(record(5, NOW, 52.5, 13.4, 0.0, 1.0, 7, Map.of()))).contains("gnssMode");
    }

    @Test
    void timesFarInTheFuture_orMissing_areRefused_aSlowClockIsNot() {
        assertThat(refusal(record(5, NOW.plus(Duration.ofHours(25)), 52.5, 13.4, 0.0, 1.0, 3, Map.of()))).contains("time");
        assertThat(refusal(record(5, null, 52.5, 13.4, 0.0, 1.0, 3, Map.of()))).contains("time");
        assertThat(refusal(record(5, NOW.plus(Duration.ofHours(23)), 52.5, 13.4, 0.0, 1.0, 3, Map.of()))).isEmpty();
        assertThat(refusal(record(5, Instant.EPOCH, 52.5, 13.4, 0.0, 1.0, 3, Map.of()))).isEmpty();
    }

    @Test
    void seqs_areBoundedAbsolutely_andByHowFarTheyJumpAboveTheHighestStored() {
        assertThat(TelemetryPlausibility.refusal(record(Long.MAX_VALUE, NOW, null, null, null, null, 3, Map.of()), 4, NOW))
                .contains("seq");
        assertThat(TelemetryPlausibility.refusal(record(1L << 53, NOW, null, null, null, null, 3, Map.of()), (1L << 53) - 2, NOW))
                .contains("seq");
        assertThat(TelemetryPlausibility.refusal(record(1_000_000_005L, NOW, null, null, null, null, 3, Map.of()), 4, NOW))
                .contains("seq");
        assertThat(TelemetryPlausibility.refusal(record(1_000_000_004L, NOW, null, null, null, null, 3, Map.of()), 4, NOW))
                .isEmpty();
        assertThat(TelemetryPlausibility.refusal(record(1, NOW, null, null, null, null, 3, Map.of()), 0, NOW)).isEmpty();
    }
}
