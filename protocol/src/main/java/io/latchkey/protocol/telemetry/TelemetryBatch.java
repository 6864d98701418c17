package io.latchkey.protocol.telemetry;

import java.util.List;

/** What travels on the {@code telemetry} channel: records of one device, in sequence order. */
public record TelemetryBatch(String deviceId, List<TelemetryRecord> records) {
    public TelemetryBatch {
        records = records == null ? List.of() : List.copyOf(records);
    }
}
