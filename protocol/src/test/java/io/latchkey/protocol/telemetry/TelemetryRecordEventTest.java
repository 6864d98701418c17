package io.latchkey.protocol.telemetry;

import static org.assertj.core.api.Assertions.assertThat;

import io.latchkey.protocol.Json;
import io.latchkey.protocol.LockState;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A record may carry an event (an offline key's use); one without stays the JSON it always was. */
class TelemetryRecordEventTest {
    static final Instant AT = Instant.parse("2026-12-05T10:00:00Z");

    @Test
    void aRecordWithAnEvent_travelsInABatch_andComesBackEqual() {
        TelemetryRecord r = new TelemetryRecord(7, AT, null, null, null, null, LockState.UNLOCKED, false, false, null, null,
                "OFFLINE_KEY_USE", new DeviceEvent("dev-1", "OFFLINE_KEY_USE", AT, Map.of("keyId", "key-00000000000000a1")));
        TelemetryBatch back = Json.read(Json.write(new TelemetryBatch("dev-1", List.of(r))), TelemetryBatch.class);
        assertThat(back.records()).containsExactly(r);
    }

    @Test
    void aPlainRecord_hasNoEventField_andOldJsonStillReads() {
        TelemetryRecord plain = new TelemetryRecord(1, AT, 1.0, 2.0, 0.0, 10.0, LockState.LOCKED, false, false, 3, Map.of(), "PERIODIC");
        String json = new String(Json.write(plain), StandardCharsets.UTF_8);
        assertThat(json).doesNotContain("event");
        assertThat(Json.read(json.getBytes(StandardCharsets.UTF_8), TelemetryRecord.class)).isEqualTo(plain);
        assertThat(plain.event()).isNull();
    }
}
