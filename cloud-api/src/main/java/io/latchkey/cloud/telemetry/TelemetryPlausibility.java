package io.latchkey.cloud.telemetry;

import io.latchkey.protocol.telemetry.TelemetryRecord;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * The one place that decides whether a telemetry record is plausible enough to be stored and shown as a
 * car's state (documented in security.md, "Telemetry plausibility"). A record that fails any rule is
 * refused whole: not stored, the car state not touched, counted, and named in the receipt's
 * {@code refused} list so that the car releases it instead of resending it forever.
 *
 * <p>Rules (absent fields are fine; every number present must be finite):
 * <ul>
 *   <li>{@code seq} below 2^53 (an exact JSON number everywhere) and at most {@link #MAX_SEQ_JUMP} above
 *       the highest seq stored for the device, so that one record cannot pin the state's high-water mark;</li>
 *   <li>{@code time} present and at most {@link #MAX_CLOCK_AHEAD} after the backend's clock;</li>
 *   <li>latitude in [-90, 90], longitude in [-180, 180] degrees;</li>
 *   <li>speed in [0, {@link #MAX_SPEED_KMH}] km/h (100 m/s);</li>
 *   <li>odometer in [0, {@link #MAX_ODOMETER_KM}] km;</li>
 *   <li>{@code gnssMode} in 0..3 (gpsd's modes);</li>
 *   <li>signals: every value finite; percentages (fuel level, state of charge) in [0, 100]; the 12 V
 *       supply voltage in [0, {@link #MAX_SUPPLY_VOLTS}] V.</li>
 * </ul>
 */
public final class TelemetryPlausibility {
    /** Highest seq accepted at all: 2^53 - 1, the largest integer every JSON reader keeps exact. */
    public static final long MAX_SEQ = (1L << 53) - 1;
    /** How far a seq may jump above the device's highest stored seq (30 years at 1 record per second). */
    public static final long MAX_SEQ_JUMP = 1_000_000_000L;
    public static final Duration MAX_CLOCK_AHEAD = Duration.ofHours(24);
    public static final double MAX_SPEED_KMH = 360.0;
    public static final double MAX_ODOMETER_KM = 10_000_000.0;
    public static final double MAX_SUPPLY_VOLTS = 60.0;

    /** Signals that are percentages (VSS names). */
    static final java.util.Set<String> PERCENT_SIGNALS = java.util.Set.of(
            "Vehicle.Powertrain.FuelSystem.RelativeLevel",
            "Vehicle.Powertrain.TractionBattery.StateOfCharge.Current",
            "Vehicle.Powertrain.TractionBattery.StateOfCharge.Displayed");
    /** Signals that are the low-voltage supply in volts (VSS names). */
    static final java.util.Set<String> VOLT_SIGNALS = java.util.Set.of(
            "Vehicle.LowVoltageBattery.CurrentVoltage");

    private TelemetryPlausibility() {
    }

    /**
     * Why a record must be refused, or empty if it is plausible: the name of the first rule it breaks
     * ({@code seq}, {@code time}, {@code latitude}, ...), also the {@code rule} tag of the refusal counter.
     *
     * @param highestStored the highest seq stored for the device so far (0 if none)
     */
    public static Optional<String> refusal(TelemetryRecord r, long highestStored, Instant now) {
        if (r.seq() < 1 || r.seq() > MAX_SEQ || r.seq() - highestStored > MAX_SEQ_JUMP) {
            return Optional.of("seq");
        }
        if (r.time() == null || r.time().isAfter(now.plus(MAX_CLOCK_AHEAD))) {
            return Optional.of("time");
        }
        if (!within(r.lat(), -90, 90)) {
            return Optional.of("latitude");
        }
        if (!within(r.lon(), -180, 180)) {
            return Optional.of("longitude");
        }
        if (!within(r.speedKmh(), 0, MAX_SPEED_KMH)) {
            return Optional.of("speed");
        }
        if (!within(r.odometerKm(), 0, MAX_ODOMETER_KM)) {
            return Optional.of("odometer");
        }
        if (r.gnssMode() != null && (r.gnssMode() < 0 || r.gnssMode() > 3)) {
            return Optional.of("gnssMode");
        }
        return r.signals() == null ? Optional.empty() : signalRefusal(r.signals());
    }

    private static Optional<String> signalRefusal(Map<String, Double> signals) {
        for (Map.Entry<String, Double> e : signals.entrySet()) {
            Double v = e.getValue();
            if (v == null || !Double.isFinite(v)) {
                return Optional.of("signal");
            }
            if (PERCENT_SIGNALS.contains(e.getKey()) && !within(v, 0, 100)) {
                return Optional.of("percent");
            }
            if (VOLT_SIGNALS.contains(e.getKey()) && !within(v, 0, MAX_SUPPLY_VOLTS)) {
                return Optional.of("voltage");
            }
        }
        return Optional.empty();
    }

    /** Absent, or finite and inside [min, max] (NaN compares false, so it fails). */
    private static boolean within(Double v, double min, double max) {
        return v == null || (Double.isFinite(v) && v >= min && v <= max);
    }
}
