package io.latchkey.cloud.car;

import java.time.Instant;

/** A car of a tenant and the device fitted in it. */
public record Car(String id, String name, String plate, String deviceId, Instant createdAt) {
}
