package io.latchkey.agent.telemetry;

import static org.assertj.core.api.Assertions.assertThat;

import io.latchkey.agent.FakeBrokerConnection;
import io.latchkey.agent.mqtt.BrokerConnection;
import io.latchkey.protocol.Channel;
import io.latchkey.protocol.Json;
import io.latchkey.protocol.telemetry.TelemetryBatch;
import io.latchkey.protocol.telemetry.TelemetryRecord;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class OutboxTelemetrySinkTest {
    private final FakeBrokerConnection broker = new FakeBrokerConnection(new byte[0]);

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

    private static TelemetryRecord record(long seq) {
        return new TelemetryRecord(seq, Instant.EPOCH, null, null, null, null, null, null, null, 1, null, "PERIODIC");
    }

    private List<Long> sentSeqs() {
        return broker.on(Channel.TELEMETRY).stream()
                .flatMap(p -> Json.read(p.payload(), TelemetryBatch.class).records().stream())
                .map(TelemetryRecord::seq).toList();
    }

    @Test
    void recordsTakenWhileOffline_areSentInOrderOnceConnected() {
        OutboxTelemetrySink sink = new OutboxTelemetrySink(broker, "dev-1", 100, 2);
        sink.submit(record(1));
        sink.submit(record(2));
        sink.submit(record(3));
        assertThat(sentSeqs()).isEmpty();

        broker.connect();
        sink.connected();

        assertThat(sentSeqs()).containsExactly(1L, 2L, 3L);
        assertThat(broker.on(Channel.TELEMETRY)).as("batches of at most 2").hasSize(2);
        assertThat(sink.pending()).isZero();
    }

    @Test
    void aBatchTheBrokerDidNotAcknowledge_isKeptAndResentOnTheNextConnection() {
        OutboxTelemetrySink sink = new OutboxTelemetrySink(broker, "dev-1", 100, 10);
        broker.connect();
        broker.failWith = new IllegalStateException("connection lost");
        sink.submit(record(1));
        assertThat(sink.pending()).isEqualTo(1);

        broker.failWith = null;
        sink.connected();

        assertThat(sentSeqs()).containsExactly(1L);
        assertThat(sink.pending()).isZero();
    }

    @Test
    void aFullOutbox_evictsTheOldestRecords_andCountsThem() {
        OutboxTelemetrySink sink = new OutboxTelemetrySink(broker, "dev-1", 3, 10);
        for (long seq = 1; seq <= 5; seq++) {
            sink.submit(record(seq));
        }

        broker.connect();
        sink.connected();

        assertThat(sink.evicted()).isEqualTo(2);
        assertThat(sentSeqs()).containsExactly(3L, 4L, 5L);
    }
}
