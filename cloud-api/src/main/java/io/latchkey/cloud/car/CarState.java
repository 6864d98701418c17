package io.latchkey.cloud.car;

import io.latchkey.protocol.LockState;
import io.micronaut.serde.annotation.Serdeable;
import java.time.Instant;

/**
 * The latest known state of a car, merged from telemetry, the retained device state and command
 * acknowledgements. Fields are null until something reported them.
 */
@Serdeable
public record CarState(Boolean online, LockState lockState, Boolean doorsOpen, Boolean ignition, Double lat, Double lon,
                       Double speedKmh, Double odometerKm, Long lastSeq, Instant lastSeen) {

    public static final CarState UNKNOWN = new CarState(false, null, null, null, null, null, null, null, null, null);

    public CarState withOnline(boolean value, Instant seen) {
        return new CarState(value, lockState, doorsOpen, ignition, lat, lon, speedKmh, odometerKm, lastSeq,
                value ? seen : lastSeen);
    }

    public CarState withLock(LockState lock, Boolean doors, Instant seen) {
        return new CarState(true, lock == null ? lockState : lock, doors == null ? doorsOpen : doors, ignition, lat, lon,
                speedKmh, odometerKm, lastSeq, seen);
    }
}
