package io.latchkey.cloud.live;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import java.time.Instant;
import java.util.Map;

/**
 * An event about a car, as the stream sends it: reported by the car ({@code TAMPER}, {@code LOW_VOLTAGE}, ...) or
 * raised by the backend ({@code CAR_OFFLINE}, {@code LEFT_HOME_ZONE}, {@code BOOKING_OVERDUE}).
 *
 * @param id     the stored event's id ({@code GET /t/{tenant}/events/...}), acknowledged by that id
 * @param source {@code DEVICE} or {@code BACKEND}
 * @param alert  whether it is an alert (open until an operator acknowledges it)
 */
@Serdeable
public record LiveDeviceEvent(String carId, String id, String type, String source, Instant at,
                              @Nullable Map<String, String> details, boolean alert) {
}
