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
 * signals; a car reports the one its powertrain has. {@code immobilised}: the car's answer to the latest
 * {@code IMMOBILISE} ({@code true}) or {@code MOBILISE} ({@code false}) it executed, or the VSS signal
 * {@code Vehicle.IsImmobilized} of a car that reports it; null while neither is known. {@code powerState} and
 * {@code nextWake}: the power state the car last reported on its state channel ({@code NORMAL}, {@code ECONOMY},
 * {@code SLEEP}, {@code PROTECT}) and, when it said it was going to sleep or into battery protection, when it will be
 * back (docs/agent.md, power states); a command to a car asleep until then is answered 503 at once.
 */
@Serdeable
public record CarState(Boolean online, LockState lockState, Boolean doorsOpen, Boolean ignition, Double lat, Double lon,
                       Double speedKmh, Double odometerKm, Long lastSeq, Instant lastSeen,
                       @Nullable Double fuelPercent, @Nullable Double socPercent, @Nullable Boolean immobilised,
                       @Nullable String powerState, @Nullable Instant nextWake) {

    @io.micronaut.core.annotation.Creator
    public CarState {
    }

    /** The power states in which a car is off the air until {@link #nextWake()}. */
    public static final java.util.Set<String> ASLEEP = java.util.Set.of("SLEEP", "PROTECT");

    public CarState(Boolean online, LockState lockState, Boolean doorsOpen, Boolean ignition, Double lat, Double lon,
                    Double speedKmh, Double odometerKm, Long lastSeq, Instant lastSeen, Double fuelPercent, Double socPercent,
                    Boolean immobilised) {
        this(online, lockState, doorsOpen, ignition, lat, lon, speedKmh, odometerKm, lastSeq, lastSeen, fuelPercent, socPercent,
                immobilised, null, null);
    }

    /** The power state the car reported on its state channel, with its next wake (null when awake). */
    public CarState withPower(@Nullable String state, @Nullable Instant wake) {
        return new CarState(online, lockState, doorsOpen, ignition, lat, lon, speedKmh, odometerKm, lastSeq, lastSeen,
                fuelPercent, socPercent, immobilised, state, wake);
    }

    /** When the car, asleep or protecting its battery, will be back; empty when it is awake or its wake has passed. */
    public java.util.Optional<Instant> asleepUntil(Instant now) {
        return powerState != null && ASLEEP.contains(powerState) && nextWake != null && nextWake.isAfter(now)
                ? java.util.Optional.of(nextWake) : java.util.Optional.empty();
    }

    /** VSS: fuel level, percent. */
    public static final String FUEL_LEVEL = "Vehicle.Powertrain.FuelSystem.RelativeLevel";
    /** VSS: traction battery state of charge, percent. */
    public static final String STATE_OF_CHARGE = "Vehicle.Powertrain.TractionBattery.StateOfCharge.Current";

    /** VSS: the immobiliser is engaged (1) or not (0), where a car reports it. */
    public static final String IMMOBILISED = "Vehicle.IsImmobilized";

    public static final CarState UNKNOWN = new CarState(false, null, null, null, null, null, null, null, null, null,
            null, null, null);

    public CarState withOnline(boolean value, Instant seen) {
        return new CarState(value, lockState, doorsOpen, ignition, lat, lon, speedKmh, odometerKm, lastSeq,
                value ? seen : lastSeen, fuelPercent, socPercent, immobilised, powerState, nextWake);
    }

    public CarState withLock(LockState lock, Boolean doors, Instant seen) {
        return new CarState(true, lock == null ? lockState : lock, doors == null ? doorsOpen : doors, ignition, lat, lon,
                speedKmh, odometerKm, lastSeq, seen, fuelPercent, socPercent, immobilised, powerState, nextWake);
    }

    /** The car executed {@code IMMOBILISE} ({@code true}) or {@code MOBILISE} ({@code false}). */
    public CarState withImmobilised(boolean value, Instant seen) {
        return new CarState(true, lockState, doorsOpen, ignition, lat, lon, speedKmh, odometerKm, lastSeq, seen, fuelPercent,
                socPercent, value, powerState, nextWake);
    }

    /**
     * This state with a newer telemetry record laid over it: what the record reports replaces what was
     * known, what it leaves out stays. A record not newer than {@code lastSeq} changes nothing.
     */
    /** This state without the seq and time of the last record ({@code lastSeq}, {@code lastSeen}): what it shows of the car. */
    public CarState withoutSeqAndSeen() {
        return new CarState(online, lockState, doorsOpen, ignition, lat, lon, speedKmh, odometerKm, null, null, fuelPercent,
                socPercent, immobilised, powerState, nextWake);
    }

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
                signals.getOrDefault(STATE_OF_CHARGE, socPercent),
                signals.get(IMMOBILISED) != null ? Boolean.valueOf(signals.get(IMMOBILISED) >= 0.5) : immobilised,
                powerState, nextWake);
    }
}
