package io.latchkey.agent.journal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.latchkey.protocol.LockState;
import io.latchkey.protocol.telemetry.TelemetryRecord;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RecordCodecTest {
    private final RecordCodec codec = new RecordCodec();

    private TelemetryRecord roundTrip(TelemetryRecord r) {
        ByteWriter w = new ByteWriter(16);
        codec.encode(r, w);
        return codec.decode(w.array(), 0, w.size());
    }

    @Test
    void aTypicalRecord_comesBackEqual_inAboutSeventyBytes() {
        ByteWriter w = new ByteWriter(16);
        codec.encode(Records.typical(123_456), w);

        assertThat(codec.decode(w.array(), 0, w.size())).isEqualTo(Records.typical(123_456));
        assertThat(w.size()).isLessThan(80);
    }

    @Test
    void absentFields_stayAbsent() {
        TelemetryRecord sparse = new TelemetryRecord(1, null, null, null, null, null, null, null, null, null, null, null);

        assertThat(roundTrip(sparse)).isEqualTo(sparse);
    }

    @Test
    void unknownSignalNamesAndReasons_areStoredInline() {
        Map<String, Double> signals = new LinkedHashMap<>();
        signals.put("Vehicle.Private.Something.New", -1.5e-300);
        signals.put("Vehicle.Speed", Double.NaN);
        TelemetryRecord r = new TelemetryRecord(7, Instant.ofEpochSecond(-5, 999_999_999), -89.999999, 179.999999,
                250.0, 0.0, LockState.UNKNOWN, true, true, 1, signals, "SOMETHING_ELSE");

        assertThat(roundTrip(r)).isEqualTo(r);
    }

    @Test
    void aRecordCarryingAnEvent_comesBackWithTheEvent_inOrderOfItsDetails() {
        Map<String, String> details = new LinkedHashMap<>();
        details.put("keyId", "key-00000000000000a1");
        details.put("outcome", "REJECTED");
        details.put("reason", "REPLAYED");
        TelemetryRecord r = Records.typical(9).withEvent(new io.latchkey.protocol.telemetry.DeviceEvent("dev-1", "OFFLINE_KEY_USE",
                Instant.parse("2026-12-05T10:00:00.123Z"), details));

        TelemetryRecord back = roundTrip(r);
        assertThat(back).isEqualTo(r);
        assertThat(back.event().details().keySet()).containsExactly("keyId", "outcome", "reason");
        assertThat(roundTrip(Records.typical(9)).event()).isNull();
    }

    @Test
    void trailingGarbage_isMalformed() {
        ByteWriter w = new ByteWriter(16);
        codec.encode(Records.typical(1), w);
        w.writeByte(0);

        assertThatThrownBy(() -> codec.decode(w.array(), 0, w.size())).isInstanceOf(MalformedRecordException.class);
    }

    @Test
    void aTruncatedPayload_isMalformed() {
        ByteWriter w = new ByteWriter(16);
        codec.encode(Records.typical(1), w);

        assertThatThrownBy(() -> codec.decode(w.array(), 0, w.size() - 3)).isInstanceOf(MalformedRecordException.class);
    }
}
