package io.latchkey.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.latchkey.protocol.telemetry.TelemetryBatch;
import io.latchkey.protocol.telemetry.TelemetryRecord;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class FastInstantsTest {
    /** The mapping before FastInstants: Jackson's own Instant reader. */
    private static final ObjectMapper JACKSON = new ObjectMapper().registerModule(new JavaTimeModule())
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    @Test
    void everyInstantAsToStringWritesIt_readsAsJacksonReadsIt() throws Exception {
        Random random = new Random(16);
        for (int i = 0; i < 20_000; i++) {
            long seconds = random.nextLong(Instant.parse("0000-01-01T00:00:00Z").getEpochSecond(),
                    Instant.parse("9999-12-31T23:59:59Z").getEpochSecond());
            int nanos = switch (i % 4) {
                case 0 -> 0;
                case 1 -> random.nextInt(1000) * 1_000_000;
                case 2 -> random.nextInt(1_000_000) * 1000;
                default -> random.nextInt(1_000_000_000);
            };
            String text = Instant.ofEpochSecond(seconds, nanos).toString();
            assertEquals(jackson(text), Json.read(quoted(text), Holder.class).at(), text);
            assertEquals(jackson(text), FastInstants.parse(text), text);
        }
    }

    @Test
    void fractionsOfAnyLength_readAsJacksonReadsThem() throws Exception {
        String base = "2026-12-06T09:31:04";
        for (String fraction : List.of("", ".1", ".12", ".123", ".1234", ".12345", ".123456", ".1234567", ".12345678",
                ".123456789", ".000000001", ".5")) {
            String text = base + fraction + "Z";
            assertEquals(jackson(text), Json.read(quoted(text), Holder.class).at(), text);
        }
    }

    @Test
    void otherForms_goToJackson_withTheSameResultOrTheSameRefusal() throws Exception {
        // forms the fast path leaves alone: offsets, lower case, a leap second, 24:00, numbers
        for (String text : List.of("2026-12-06T10:31:04+01:00", "2026-12-06t09:31:04z", "2016-12-31T23:59:60Z",
                "2026-12-06T09:31:04.1234567890Z", "2026-12-06T09:31:04.Z")) {
            assertNull(FastInstants.parse(text), text);
            Instant expected;
            try {
                expected = jackson(text);
            } catch (Exception e) {
                assertThrows(MalformedMessageException.class, () -> Json.read(quoted(text), Holder.class), text);
                continue;
            }
            assertEquals(expected, Json.read(quoted(text), Holder.class).at(), text);
        }
        assertEquals(JACKSON.readValue("{\"at\":1700000000.5}", Holder.class).at(),
                Json.read("{\"at\":1700000000.5}".getBytes(StandardCharsets.UTF_8), Holder.class).at());
        // no such dates: refused as before
        for (String text : List.of("2026-02-30T00:00:00Z", "2026-13-01T00:00:00Z", "2026-12-06T25:00:00Z", "2026-12-06T09:31Z",
                "not a time")) {
            assertNull(FastInstants.parse(text), text);
            assertThrows(Exception.class, () -> jackson(text), text);
            assertThrows(MalformedMessageException.class, () -> Json.read(quoted(text), Holder.class), text);
        }
    }

    @Test
    void aTelemetryBatch_readsAsBefore_andWritesTheSameBytes() throws Exception {
        List<TelemetryRecord> records = new ArrayList<>();
        Instant t = Instant.parse("2026-12-06T09:31:04.120Z");
        for (int k = 0; k < 50; k++) {
            records.add(new TelemetryRecord(100_000_001L + k, t.plusNanos(k * 1_234_567L), 52.52, 13.405, 40.0, 12_000.0,
                    LockState.LOCKED, false, true, 3, Map.of("Vehicle.LowVoltageBattery.CurrentVoltage", 14.2), "PERIODIC"));
        }
        TelemetryBatch batch = new TelemetryBatch("dev-1", records);
        byte[] wire = Json.write(batch);
        TelemetryBatch read = Json.read(wire, TelemetryBatch.class);
        assertEquals(JACKSON.readValue(wire, TelemetryBatch.class), read);
        assertEquals(new String(wire, StandardCharsets.UTF_8), new String(Json.write(read), StandardCharsets.UTF_8));
    }

    private static Instant jackson(String text) throws Exception {
        return JACKSON.readValue(quoted(text), Holder.class).at();
    }

    private static byte[] quoted(String text) {
        return ("{\"at\":\"" + text + "\"}").getBytes(StandardCharsets.UTF_8);
    }

    record Holder(Instant at) {
    }
}
