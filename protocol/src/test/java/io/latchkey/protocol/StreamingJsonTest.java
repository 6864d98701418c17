package io.latchkey.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.latchkey.protocol.command.Command;
import io.latchkey.protocol.command.CommandAck;
import io.latchkey.protocol.command.CommandOutcome;
import io.latchkey.protocol.command.CommandType;
import io.latchkey.protocol.command.HomeZone;
import io.latchkey.protocol.command.SignedAck;
import io.latchkey.protocol.command.SignedCommand;
import io.latchkey.protocol.device.ConnectToken;
import io.latchkey.protocol.identity.KeySet;
import io.latchkey.protocol.identity.RenewalAnswer;
import io.latchkey.protocol.identity.RenewalRequest;
import io.latchkey.protocol.identity.SignedKeySet;
import io.latchkey.protocol.key.KeyCredential;
import io.latchkey.protocol.key.KeyMessages;
import io.latchkey.protocol.key.KeyRight;
import io.latchkey.protocol.key.RevocationList;
import io.latchkey.protocol.key.TenantSigned;
import io.latchkey.protocol.ota.OtaOffer;
import io.latchkey.protocol.ota.OtaState;
import io.latchkey.protocol.ota.OtaStatus;
import io.latchkey.protocol.ota.SignedOtaStatus;
import io.latchkey.protocol.ota.UpdateManifest;
import io.latchkey.protocol.telemetry.DeviceEvent;
import io.latchkey.protocol.telemetry.DeviceState;
import io.latchkey.protocol.telemetry.NextBooking;
import io.latchkey.protocol.telemetry.SignedReceipt;
import io.latchkey.protocol.telemetry.TelemetryBatch;
import io.latchkey.protocol.telemetry.TelemetryReceipt;
import io.latchkey.protocol.telemetry.TelemetryRecord;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * {@link StreamingJson} against databind ({@link Json} with {@code streaming=false}): the same bytes for every wire
 * type, representative and edge values; the same reading (equal values, or both refused) of what was written and of
 * a few hundred variations of it per type (each field removed, null, of every JSON kind, numbers at the edges,
 * coercible strings; unknown and repeated fields; documents that are not objects, empty, cut off or followed by junk).
 */
class StreamingJsonTest {
    static final Instant T = Instant.parse("2026-12-06T12:34:56.789Z");
    static final String UNICODE = "é ü ß 漢字 😀 \u2028 \u0001 \"quoted\" back\\slash </script>";

    static List<Object> samples() {
        Map<String, String> details = new LinkedHashMap<>();
        details.put("reason", UNICODE);
        details.put("empty", "");
        details.put("gone", null);
        Map<String, Double> signals = new LinkedHashMap<>();
        signals.put("fuel", 0.5);
        signals.put("max", Double.MAX_VALUE);
        signals.put("tiny", 1e-300);
        signals.put("negZero", -0.0);
        signals.put("nan", Double.NaN);
        signals.put("inf", Double.NEGATIVE_INFINITY);
        signals.put("none", null);
        DeviceEvent event = new DeviceEvent("car-1", "door.open", T, details);
        TelemetryRecord full = new TelemetryRecord(Long.MAX_VALUE, T, 52.52, 13.405, 0.0, 123456.789, LockState.LOCKED,
                true, false, 3, signals, "interval", event);
        TelemetryRecord empty = new TelemetryRecord(Long.MIN_VALUE, null, null, null, null, null, null, null, null, null,
                Map.of(), null);
        TenantSigned signed = new TenantSigned("kid-1", "ZG9j", "c2ln");
        KeyCredential credential = new KeyCredential(1, KeyCredential.TYPE, "key-0123456789abcdef", "acme", "car-1", "car-1",
                "booking-1", new KeyCredential.Holder("user-1", "pk"), EnumSet.allOf(KeyRight.class), T, T.plusSeconds(60),
                T, new KeyCredential.Parent("key-fedcba9876543210", Set.of(KeyRight.values()[0]), T, T.plusSeconds(90)), "dpk");
        List<Object> all = new ArrayList<>(List.of(
                new DeviceState("car-1", true, LockState.UNLOCKED, T, "1.2.3", "ECONOMY", T.plusSeconds(5)),
                new DeviceState("car-1", false, LockState.UNKNOWN, Instant.EPOCH, null),
                new DeviceState("", false, LockState.UNKNOWN, Instant.ofEpochSecond(-1, 1), UNICODE),
                new DeviceState("car-1", false, LockState.UNKNOWN, Instant.parse("+100000-01-01T00:00:00Z"), "x"),
                new TelemetryBatch("car-1", List.of(full, empty)),
                new TelemetryBatch("car-1", List.of()),
                new TelemetryBatch(null, null),
                event,
                new DeviceEvent("car-1", "x", T, Map.of()),
                new DeviceEvent("car-1", "x", null, null),
                new SignedCommand("cGF5bG9hZA", "c2ln", "kid"),
                new SignedCommand(null, null, null),
                new Command("cmd-1", "acme", "car-1", CommandType.END_RENTAL, T, T.plusSeconds(30), UNICODE,
                        new HomeZone(-90, 180, 0.5)),
                new Command("c", "acme", "car-1", CommandType.values()[0], T, T.plusNanos(1), null),
                new CommandAck("cmd-1", "acme", "car-1", CommandOutcome.values()[0], UNICODE, LockState.LOCKED, true, true, T,
                        List.of("a", "")),
                new CommandAck("cmd-1", null, null, null, null, null, null, false, null, List.of()),
                new CommandAck("cmd-1", null, null, null, null, null, null, false, null),
                new SignedAck("cA", "cw"),
                new NextBooking("car-1", T, T),
                new NextBooking(null, null, null),
                new OtaOffer("r-1", "1.2.3", "https://x/y?a=b&c=d", Long.MAX_VALUE, "ab", signed),
                new OtaOffer(null, null, null, 0, null, null),
                new OtaStatus("acme", "car-1", "r", "1", "0", OtaState.values()[0], null, T),
                new SignedOtaStatus("p", "s"),
                new UpdateManifest(1, UpdateManifest.TYPE, "acme", "1.2.3", null, true, Integer.MAX_VALUE, T,
                        List.of(new UpdateManifest.FileEntry("device-agent.jar", 0, "ab"))),
                new UpdateManifest(Integer.MIN_VALUE, null, null, null, null, false, 0, null, null),
                signed,
                credential,
                new KeyCredential(0, null, null, null, null, null, null, null, Set.of(), null, null, null, null, null),
                new RevocationList(1, "t", "acme", 7, T, List.of(new RevocationList.Entry("key-1", T))),
                new RevocationList(1, "t", "acme", 7, T, List.of()),
                new KeyMessages.Kind("hello"),
                new KeyMessages.Hello("hello", signed, null),
                new KeyMessages.Challenge("challenge", "n", 42, "e", T, "HIGH"),
                new KeyMessages.Request("request", KeyRight.values()[0], "n", -1, "s"),
                new KeyMessages.Result("result", "OK", null, "LOCKED", "n", 5L, "s"),
                new KeyMessages.Result("result", "OK", null, null, null, null, null),
                new KeyMessages.QrPayload(signed, new KeyMessages.Presentation(KeyRight.values()[0], 3, T, "s")),
                new SignedReceipt("p", "s", "k"),
                new TelemetryReceipt("acme", "car-1", 1, Long.MAX_VALUE, List.of(3L, Long.MAX_VALUE)),
                new TelemetryReceipt("acme", "car-1", 1, 2, List.of()),
                new ConnectToken("acme", "car-1", T, "bm9uY2UtMDEyMzQ1Njc4OWFiY2RlZg"),
                new RenewalRequest(RenewalRequest.Type.values()[0], "req-1", "01ab", "csr", "sig"),
                new RenewalAnswer("req-1", "ISSUED", "cert", List.of("ca1", "ca2"), "01", null),
                new RenewalAnswer(null, null, null, null, null, null),
                new SignedKeySet("kid", "doc", "sig"),
                new KeySet("acme", 1, T, List.of(new KeySet.Key(KeySet.Kind.KEYSET, "kid", "pk")))));
        return all;
    }

    @Test
    void everyWireTypeIsCovered() {
        for (Object sample : samples()) {
            assertTrue(StreamingJson.supports(sample.getClass()), sample.getClass().getName());
        }
        assertFalse(StreamingJson.supports(Object.class));
        assertFalse(StreamingJson.supports(HashMap.class));
    }

    @Test
    void writesDatabindsBytes() {
        for (Object sample : samples()) {
            assertEquals(text(Json.write(sample, false)), text(Json.write(sample, true)), sample.getClass().getName());
        }
    }

    @Test
    void readsWhatDatabindReadsAndRefusesWhatItRefuses() {
        int cases = 0;
        for (Object sample : samples()) {
            for (String doc : JsonVariants.of(text(Json.write(sample, false)))) {
                assertSameReading(doc, sample.getClass());
                cases++;
            }
        }
        assertTrue(cases > 5_000, "only " + cases + " cases");
    }

    @Test
    void readsBackWhatItWrote() {
        for (Object sample : samples()) {
            Object back = Json.read(Json.write(sample, true), sample.getClass(), true);
            assertEquals(text(Json.write(sample, false)), text(Json.write(back, false)), sample.getClass().getName());
        }
    }

    @Test
    void peeksATopLevelStringAsDatabindsTreeDoes() throws Exception {
        var mapper = Json.mapper();
        for (String doc : List.of("{\"id\":\"a\"}", "{\"id\":1}", "{\"id\":null}", "{\"x\":{\"id\":\"in\"}}", "[\"id\"]",
                "{\"id\":\"a\",\"id\":\"b\"}", "{\"id\":\"a\",\"id\":2}", "\"id\"", "{}", "{\"id\":\"é\"} junk")) {
            var node = mapper.readTree(doc.getBytes(StandardCharsets.UTF_8)).get("id");
            String expected = node == null || !node.isTextual() ? null : node.asText();
            assertEquals(expected, Json.peekText(doc.getBytes(StandardCharsets.UTF_8), "id"), doc);
        }
        assertThrows(MalformedMessageException.class, () -> Json.peekText("{\"id\":".getBytes(StandardCharsets.UTF_8), "id"));
        assertNull(Json.peekText("{\"id\":[\"a\"]}".getBytes(StandardCharsets.UTF_8), "id"));
    }

    @Test
    void refusesClearly() {
        var e = assertThrows(MalformedMessageException.class,
                () -> Json.read("{\"seq\":null}".getBytes(StandardCharsets.UTF_8), TelemetryRecord.class, true));
        assertTrue(e.getMessage().startsWith("not a valid TelemetryRecord: "), e.getMessage());
        e = assertThrows(MalformedMessageException.class,
                () -> Json.read("{\"id\":\"\",\"tenant\":\"acme\"}".getBytes(StandardCharsets.UTF_8), Command.class, true));
        assertTrue(e.getMessage().contains("command id must be 1 to 64 characters"), e.getMessage());
        e = assertThrows(MalformedMessageException.class, () -> Json.read("null".getBytes(StandardCharsets.UTF_8), Command.class, true));
        assertEquals("null Command", e.getMessage());
    }

    static void assertSameReading(String doc, Class<?> type) {
        byte[] bytes = doc.getBytes(StandardCharsets.UTF_8);
        Object old;
        try {
            old = Json.read(bytes, type, false);
        } catch (MalformedMessageException e) {
            Object now = null;
            try {
                now = Json.read(bytes, type, true);
            } catch (MalformedMessageException expected) {
                return;
            }
            throw new AssertionError(type.getSimpleName() + ": databind refused (" + e.getMessage() + ") but streaming read "
                    + now + " from " + doc);
        }
        Object now;
        try {
            now = Json.read(bytes, type, true);
        } catch (RuntimeException e) {
            throw new AssertionError(type.getSimpleName() + ": databind read " + old + " but streaming refused ("
                    + e + ") " + doc, e);
        }
        assertEquals(old, now, doc);
        assertEquals(text(Json.write(old, false)), text(Json.write(now, false)), doc);
    }

    static String text(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
