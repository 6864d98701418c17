package io.latchkey.agent.journal;

import static org.assertj.core.api.Assertions.assertThat;

import io.latchkey.agent.FakeBrokerConnection;
import io.latchkey.agent.mqtt.BrokerConnection;
import io.latchkey.protocol.Channel;
import io.latchkey.protocol.Json;
import io.latchkey.protocol.telemetry.DeviceEvent;
import io.latchkey.protocol.telemetry.TelemetryBatch;
import io.latchkey.protocol.telemetry.TelemetryRecord;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JournalTelemetrySinkTest {
    private static final long SEGMENT = JournalSettings.MIN_SEGMENT_BYTES;

    private final FakeBrokerConnection broker = new FakeBrokerConnection(new byte[0]);
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
    private final Clock clock = Clock.fixed(Instant.parse("2026-11-23T17:00:00Z"), ZoneOffset.UTC);
    private JournalTelemetrySink sink;

    @TempDir
    Path dir;

    @BeforeEach
    void listen() {
        broker.start(new BrokerConnection.Listener() {
            @Override
            public void connected() {
            }

            @Override
            public void disconnected(Throwable cause) {
            }

            @Override
            public void command(byte[] payload) {
            }
        });
    }

    @AfterEach
    void stop() {
        if (sink != null) {
            sink.close();
        }
        scheduler.shutdownNow();
    }

    private JournalTelemetrySink open(JournalSettings settings) {
        if (sink != null) {
            sink.close();
        }
        sink = new JournalTelemetrySink(TelemetryJournal.open(dir, settings, 0), broker, "dev-1", clock, scheduler,
                Runnable::run);
        return sink;
    }

    private List<Long> sentSeqs() {
        return broker.on(Channel.TELEMETRY).stream()
                .flatMap(p -> Json.read(p.payload(), TelemetryBatch.class).records().stream())
                .map(TelemetryRecord::seq).toList();
    }

    private void submit(long from, long to) {
        for (long seq = from; seq <= to; seq++) {
            sink.submit(Records.typical(seq));
        }
    }

    @Test
    void recordsTakenOffline_areSentInOrder_inBatches_onceConnected() {
        open(new JournalSettings(64 * SEGMENT, SEGMENT, Duration.ofSeconds(1), 20));
        submit(1, 45);
        assertThat(sentSeqs()).isEmpty();

        broker.connect();
        sink.connected();

        assertThat(sentSeqs()).containsExactlyElementsOf(java.util.stream.LongStream.rangeClosed(1, 45).boxed().toList());
        assertThat(broker.on(Channel.TELEMETRY)).hasSize(3);
        assertThat(sink.stats().pendingRecords()).isZero();
    }

    @Test
    void aBatchTheBrokerDidNotAcknowledge_isSentAgain() {
        open(JournalSettings.DEFAULTS);
        broker.connect();
        broker.failWith = new IllegalStateException("connection lost");
        submit(1, 3);
        assertThat(sentSeqs()).isEmpty();

        broker.failWith = null;
        sink.connected();

        assertThat(sentSeqs()).containsExactly(1L, 2L, 3L);
    }

    @Test
    void recordsUnsentAtShutdown_areSentAfterTheRestart() {
        open(JournalSettings.DEFAULTS);
        broker.connect();
        submit(1, 2);
        broker.disconnect();
        submit(3, 5);
        sink.close();
        sink = null;

        open(JournalSettings.DEFAULTS);
        broker.connect();
        sink.connected();

        assertThat(sentSeqs()).containsExactly(1L, 2L, 3L, 4L, 5L);
    }

    @Test
    void evictions_areReportedOnce_asAJournalEvictedEvent() {
        open(new JournalSettings(4 * SEGMENT, SEGMENT, Duration.ofSeconds(1), 500));
        submit(1, 20_000);
        long evicted = sink.stats().evictedRecords();

        broker.connect();
        sink.connected();
        sink.connected();

        List<DeviceEvent> events = broker.on(Channel.EVENT).stream()
                .map(p -> Json.read(p.payload(), DeviceEvent.class)).toList();
        assertThat(events).hasSize(1);
        assertThat(events.get(0).type()).isEqualTo(JournalTelemetrySink.JOURNAL_EVICTED);
        assertThat(events.get(0).details()).containsEntry("records", Long.toString(evicted));
        assertThat(sentSeqs().get(0)).isEqualTo(evicted + 1);
    }
}
