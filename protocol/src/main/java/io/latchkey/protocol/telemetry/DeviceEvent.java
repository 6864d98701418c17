package io.latchkey.protocol.telemetry;

import java.time.Instant;
import java.util.Map;

/** Published on the {@code event} channel: something an operator should see (tamper, low voltage, evictions). */
public record DeviceEvent(String deviceId, String type, Instant at, Map<String, String> details) {
}
