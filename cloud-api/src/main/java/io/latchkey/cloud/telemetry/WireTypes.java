package io.latchkey.cloud.telemetry;

import io.latchkey.protocol.telemetry.TelemetryRecord;
import io.micronaut.serde.annotation.SerdeImport;

/** Lets the HTTP layer serialise the protocol's telemetry records as they are on the wire. */
@SerdeImport(TelemetryRecord.class)
final class WireTypes {
    private WireTypes() {
    }
}
