package io.latchkey.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.latchkey.agent.journal.JournalStats;
import io.latchkey.agent.journal.ReceiptStats;
import io.latchkey.agent.status.AgentState;
import io.latchkey.agent.status.AgentStatus;
import io.latchkey.agent.status.ObdStats;
import io.latchkey.protocol.Json;
import io.latchkey.protocol.JsonVariants;
import io.latchkey.protocol.LockState;
import io.latchkey.protocol.MalformedMessageException;
import io.latchkey.protocol.StreamingJson;
import io.latchkey.protocol.command.CommandAck;
import io.latchkey.protocol.command.CommandOutcome;
import io.latchkey.protocol.key.TenantSigned;
import java.lang.reflect.Constructor;
import java.lang.reflect.RecordComponent;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The agent's own files through {@link StreamingJson} (what the agent uses: {@code AgentMain} sets
 * {@code latchkey.json=streaming}) against databind, which wrote them before: the same bytes, and the same reading of
 * what was written and of its variations ({@link JsonVariants}). The wire types are in protocol's
 * {@code StreamingJsonTest}.
 */
class AgentJsonTest {
    static final Instant T = Instant.parse("2026-12-06T12:34:56.789123Z");

    static List<Object> samples() throws Exception {
        Map<String, Object> qr = new LinkedHashMap<>();
        qr.put("key-0123456789abcdef", record("io.latchkey.agent.key.KeyStateFile$QrCounter", 7L, T));
        qr.put("ü", record("io.latchkey.agent.key.KeyStateFile$QrCounter", Long.MAX_VALUE, null));
        CommandAck ack = new CommandAck("cmd-1", "acme", "car-1", CommandOutcome.values()[0], "é \"x\"", LockState.LOCKED,
                null, false, T, List.of("doors"));
        return List.of(
                record("io.latchkey.agent.key.KeyStateFile$State", 42L, T, qr, new TenantSigned("k", "d", "s")),
                record("io.latchkey.agent.key.KeyStateFile$State", 0L, null, Map.of(), null),
                record("io.latchkey.agent.key.RtcTime$Record", T),
                record("io.latchkey.agent.key.RtcTime$Record", (Object) null),
                record("io.latchkey.agent.command.HistoryEntry", "cmd-1", ack),
                record("io.latchkey.agent.command.HistoryEntry", "cmd-2", null),
                record("io.latchkey.agent.identity.CertificateRenewal$Pending", "req-1", "01ab", "-----BEGIN PRIVATE KEY-----\nMIG\n"),
                record("io.latchkey.agent.identity.CertificateRenewal$Unconfirmed", "req-1", null),
                new AgentStatus("car-1", "1.2.3", AgentState.values()[0], true, T,
                        new JournalStats(3, Long.MAX_VALUE, 10, 9, 1, 0, 0, Integer.MIN_VALUE), new ReceiptStats(1, 2, 3, 4),
                        12.6, false, new ObdStats(1, 0, 0), "a fault: ü", new AgentStatus.Power("AWAKE", null, T, T)),
                new AgentStatus("car-1", null, AgentState.values()[1], false, null, null, null, null, true, null, null));
    }

    @Test
    void theAgentUsesTheStreamingMapping() {
        assertTrue(Json.streaming(), "device-agent's tests run as the agent does (latchkey.json=streaming)");
    }

    @Test
    void writesDatabindsBytes() throws Exception {
        for (Object sample : samples()) {
            assertTrue(StreamingJson.supports(sample.getClass()), sample.getClass().getName());
            assertEquals(text(Json.write(sample, false)), text(Json.write(sample, true)), sample.getClass().getName());
        }
    }

    @Test
    void readsWhatDatabindReadsAndRefusesWhatItRefuses() throws Exception {
        int cases = 0;
        for (Object sample : samples()) {
            for (String doc : JsonVariants.of(text(Json.write(sample, false)))) {
                assertSameReading(doc, sample.getClass());
                cases++;
            }
        }
        assertTrue(cases > 2_000, "only " + cases + " cases");
    }

    static void assertSameReading(String doc, Class<?> type) {
        byte[] bytes = doc.getBytes(StandardCharsets.UTF_8);
        Object old = null;
        Object now = null;
        MalformedMessageException oldRefusal = null;
        MalformedMessageException newRefusal = null;
        try {
            old = Json.read(bytes, type, false);
        } catch (MalformedMessageException e) {
            oldRefusal = e;
        }
        try {
            now = Json.read(bytes, type, true);
        } catch (MalformedMessageException e) {
            newRefusal = e;
        }
        assertEquals(oldRefusal == null, newRefusal == null, type.getSimpleName() + " " + doc + ": databind "
                + (oldRefusal == null ? "read " + old : "refused: " + oldRefusal.getMessage()) + ", streaming "
                + (newRefusal == null ? "read " + now : "refused: " + newRefusal.getMessage()));
        if (old != null) {
            assertEquals(old, now, doc);
            assertEquals(text(Json.write(old, false)), text(Json.write(now, false)), doc);
        }
    }

    /** A record of the agent's, package-private ones included, through its canonical constructor. */
    static Object record(String className, Object... args) throws Exception {
        Class<?> type = Class.forName(className);
        Class<?>[] raw = Arrays.stream(type.getRecordComponents()).map(RecordComponent::getType).toArray(Class<?>[]::new);
        Constructor<?> c = type.getDeclaredConstructor(raw);
        c.setAccessible(true);
        return c.newInstance(args);
    }

    static String text(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
