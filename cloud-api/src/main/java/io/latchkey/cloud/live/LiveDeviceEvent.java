package io.latchkey.cloud.live;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import java.time.Instant;
import java.util.Map;

/** An event a car reported ({@code TAMPER}, {@code LOW_VOLTAGE}, ...), as the stream sends it. */
@Serdeable
public record LiveDeviceEvent(String carId, String type, Instant at, @Nullable Map<String, String> details) {
}
