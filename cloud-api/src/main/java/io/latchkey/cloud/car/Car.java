package io.latchkey.cloud.car;

import io.micronaut.core.annotation.Nullable;
import java.time.Instant;

/**
 * A car of a tenant and the device fitted in it.
 *
 * @param vehicleProfile the built-in HAL vehicle profile of the car ({@link VehicleProfiles#BUILT_IN}) the device
 *                       decodes the CAN bus with; null when the car has none (cars stored before profiles existed too)
 */
public record Car(String id, String name, String plate, String deviceId, Instant createdAt, @Nullable String vehicleProfile) {
    public Car(String id, String name, String plate, String deviceId, Instant createdAt) {
        this(id, name, plate, deviceId, createdAt, null);
    }
}
