package io.latchkey.cloud.car;

import io.latchkey.protocol.LockState;
import io.latchkey.protocol.telemetry.TelemetryRecord;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import java.time.Instant;
import java.util.Map;

/**
 * The latest known state of a car, merged from telemetry, the retained device state and command
 * acknowledgements. Fields are null until something reported them. {@code fuelPercent} and
 * {@code socPercent} (traction battery state of charge, electric cars) come from the telemetry's VSS
 * signals; a car reports the one its powertrain has.
 */
@Serdeable
public record CarState(Boolean online, LockState lockState, Boolean doorsOpen, Boolean ignition, Double lat, Double lon,
                       Double speedKmh, Double odometerKm, Long lastSeq, Instant lastSeen,
                       @Nullable Double fuelPercent, @Nullable Double socPercent) {

    /** VSS: fuel level, percent. */
    public static final String FUEL_LEVEL = "Vehicle.Powertrain.FuelSystem.RelativeLevel";
    /** VSS: traction battery state of charge, percent. */
    public static final String STATE_OF_CHARGE = "Vehicle.Powertrain.TractionBattery.StateOfCharge.Current";

    public static final CarState UNKNOWN = new CarState(false, null, null, null, null, null, null, null, null, null,
            null, null);

    public CarState withOnline(boolean value, Instant seen) {
        return new CarState(value, lockState, doorsOpen, ignition, lat, lon, speedKmh, odometerKm, lastSeq,
                value ? seen : lastSeen, fuelPercent, socPercent);
    }

    public CarState withLock(LockState lock, Boolean doors, Instant seen) {
        return new CarState(true, lock == null ? lockState : lock, doors == null ? doorsOpen : doors, ignition, lat, lon,
                speedKmh, odometerKm, lastSeq, seen, fuelPercent, socPercent);
    }

    /**
     * This state with a newer telemetry record laid over it: what the record reports replaces what was
     * known, what it leaves out stays. A record not newer than {@code lastSeq} changes nothing.
     */
    public CarState merge(TelemetryRecord r, Instant seen) {
        if (lastSeq != null && lastSeq >= r.seq()) {
            return this;
        }
        Map<String, Double> signals = r.signals() == null ? Map.of() : r.signals();
        return new CarState(true,
                r.lockState() != null ? r.lockState() : lockState,
                r.doorsOpen() != null ? r.doorsOpen() : doorsOpen,
                r.ignition() != null ? r.ignition() : ignition,
                r.lat() != null ? r.lat() : lat,
                r.lon() != null ? r.lon() : lon,
                r.speedKmh() != null ? r.speedKmh() : speedKmh,
                r.odometerKm() != null ? r.odometerKm() : odometerKm,
                r.seq(),
                seen,
                signals.getOrDefault(FUEL_LEVEL, fuelPercent),
                signals.getOrDefault(STATE_OF_CHARGE, socPercent));
    }
}
