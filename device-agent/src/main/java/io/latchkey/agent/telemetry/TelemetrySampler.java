package io.latchkey.agent.telemetry;

import io.latchkey.agent.vehicle.LockStates;
import io.latchkey.agent.vehicle.VehicleStatus;
import io.latchkey.hal.gnss.GnssFix;
import io.latchkey.hal.lock.DoorLocks;
import io.latchkey.hal.vehicle.Vss;
import io.latchkey.protocol.telemetry.TelemetryRecord;
import java.time.Clock;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/** Reads the car once and makes a record of it. */
public final class TelemetrySampler {
    private final VehicleStatus vehicle;
    private final DoorLocks locks;
    private final Clock clock;

    public TelemetrySampler(VehicleStatus vehicle, DoorLocks locks, Clock clock) {
        this.vehicle = Objects.requireNonNull(vehicle, "vehicle");
        this.locks = Objects.requireNonNull(locks, "locks");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    public TelemetryRecord sample(long seq, String reason) {
        Optional<GnssFix> fix = vehicle.gnss().latest();
        boolean hasPosition = fix.map(GnssFix::hasPosition).orElse(false);
        Map<String, Double> signals = new TreeMap<>(vehicle.signals().snapshot());
        Double odometer = signals.remove(Vss.TRAVELED_DISTANCE);
        signals.remove(Vss.SPEED);
        VehicleStatus.DOOR_SIGNALS.forEach(signals::remove);
        signals.remove(Vss.IGNITION_ON);
        return new TelemetryRecord(seq, clock.instant(),
                hasPosition ? fix.get().lat() : null,
                hasPosition ? fix.get().lon() : null,
                vehicle.speedKmh().orElse(null),
                odometer,
                LockStates.toWire(locks.state()),
                vehicle.doorsOpen(),
                vehicle.ignitionOn(),
                fix.map(GnssFix::mode).orElse(GnssFix.MODE_NO_FIX),
                signals.isEmpty() ? null : signals,
                reason);
    }
}
