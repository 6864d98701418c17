package io.latchkey.cloud.car;

import io.micronaut.core.annotation.Nullable;
import io.latchkey.protocol.command.HomeZone;
import java.time.Instant;

/**
 * A car of a tenant and the device fitted in it.
 *
 * @param vehicleProfile the built-in HAL vehicle profile of the car ({@link VehicleProfiles#BUILT_IN}) the device
 *                       decodes the CAN bus with; null when the car has none (cars stored before profiles existed too)
 * @param homeZone       where the car belongs ({@code PUT /t/{tenant}/cars/{carId}/home-zone}): leaving it raises
 *                       {@code LEFT_HOME_ZONE}, and an end-of-rental check may send it with {@code END_RENTAL}; null when
 *                       it has none
 */
public record Car(String id, String name, String plate, String deviceId, Instant createdAt, @Nullable String vehicleProfile,
                  @Nullable HomeZone homeZone) {
    public Car(String id, String name, String plate, String deviceId, Instant createdAt) {
        this(id, name, plate, deviceId, createdAt, null, null);
    }

    public Car(String id, String name, String plate, String deviceId, Instant createdAt, @Nullable String vehicleProfile) {
        this(id, name, plate, deviceId, createdAt, vehicleProfile, null);
    }

    public Car withHomeZone(@Nullable HomeZone zone) {
        return new Car(id, name, plate, deviceId, createdAt, vehicleProfile, zone);
    }
}
