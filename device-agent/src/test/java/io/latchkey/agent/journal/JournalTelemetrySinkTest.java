package io.latchkey.agent.journal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.latchkey.agent.FakeBrokerConnection;
import io.latchkey.agent.TestCloud;
import io.latchkey.agent.mqtt.BrokerConnection;
import io.latchkey.protocol.Channel;
import io.latchkey.protocol.Json;
import io.latchkey.protocol.telemetry.DeviceEvent;
import io.latchkey.protocol.telemetry.TelemetryBatch;
import io.latchkey.protocol.telemetry.TelemetryReceipt;
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
    private final TestCloud cloud = new TestCloud("acme", clock);
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

            @Override
            public void receipt(byte[] payload) {
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
        return open(settings, JournalTelemetrySink.DEFAULT_RECEIPT_TIMEOUT);
    }

    private JournalTelemetrySink open(JournalSettings settings, Duration receiptTimeout) {
        if (sink != null) {
            sink.close();
        }
        sink = new JournalTelemetrySink(TelemetryJournal.open(dir, settings, 0), broker, cloud.receiptVerifier("dev-1"),
                "dev-1", clock, scheduler, Runnable::run, receiptTimeout);
        return sink;
    }

    private List<TelemetryBatch> sentBatches() {
        return broker.on(Channel.TELEMETRY).stream().map(p -> Json.read(p.payload(), TelemetryBatch.class)).toList();
    }

    /** What the cloud does: stores each batch sent and answers with its receipt, until nothing new is sent. */
    private void cloudReceiptsEverything() {
        for (int answered = 0; answered < broker.on(Channel.TELEMETRY).size(); answered++) {
            sink.receipt(cloud.receiptOf(sentBatches().get(answered)));
        }
    }

    private byte[] receipt(long first, long last) {
        return cloud.signed(new TelemetryReceipt("acme", "dev-1", first, last));
    }

    private List<Long> sentSeqs() {
        return broker.on(Channel.TELEMETRY).stream()
                .flatMap(p -> Json.read(p.payload(), TelemetryBatch.class).records().stream())
                .map(TelemetryRecord::seq).toList();
    }

    /** Records taken offline, then the connection comes: they go as one batch. */
    private void submitOfflineThenConnect(long from, long to) {
        submit(from, to);
        broker.connect();
        sink.connected();
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
        cloudReceiptsEverything();

        assertThat(sentSeqs()).containsExactlyElementsOf(java.util.stream.LongStream.rangeClosed(1, 45).boxed().toList());
        assertThat(broker.on(Channel.TELEMETRY)).hasSize(3);
        assertThat(sink.stats().pendingRecords()).isZero();
        assertThat(sink.stats().ackedSeq()).isEqualTo(45);
    }

    @Test
    void theBrokersAcknowledgementAlone_releasesNothing_onlyTheCloudsReceiptDoes() {
        open(JournalSettings.DEFAULTS);
        submitOfflineThenConnect(1, 3);
        submit(4, 4);

        assertThat(sentBatches()).hasSize(1);
        assertThat(sentSeqs()).containsExactly(1L, 2L, 3L);
        assertThat(sink.stats().pendingRecords()).isEqualTo(4);
        assertThat(sink.stats().ackedSeq()).isZero();

        sink.receipt(receipt(1, 3));

        assertThat(sink.stats().ackedSeq()).isEqualTo(3);
        assertThat(sentSeqs()).containsExactly(1L, 2L, 3L, 4L);
        assertThat(sink.stats().pendingRecords()).isEqualTo(1);
    }

    @Test
    void aReceiptThatDoesNotCoverTheBatchInFlight_changesNothing() {
        open(JournalSettings.DEFAULTS);
        submitOfflineThenConnect(1, 5);

        sink.receipt(receipt(1, 4));
        sink.receipt(receipt(2, 5));
        sink.receipt(receipt(6, 9));

        assertThat(sink.stats().ackedSeq()).isZero();
        assertThat(sink.stats().pendingRecords()).isEqualTo(5);
        assertThat(sentBatches()).hasSize(1);

        sink.receipt(receipt(1, 5));
        sink.receipt(receipt(1, 5)); // a duplicate receipt: nothing more to release

        assertThat(sink.stats().ackedSeq()).isEqualTo(5);
        assertThat(sink.stats().pendingRecords()).isZero();
        assertThat(sink.receiptStats()).as("6..9 covers seqs never sent").isEqualTo(new ReceiptStats(1, 1, 3, 0));
    }

    @Test
    void forgedUnsignedOrMisaddressedReceipts_releaseNothing_andAreCounted_theRealOneDoes() {
        open(JournalSettings.DEFAULTS);
        submitOfflineThenConnect(1, 3);
        TelemetryReceipt real = new TelemetryReceipt("acme", "dev-1", 1, 3);

        sink.receipt(TestCloud.forged(real));
        sink.receipt(Json.write(real));
        sink.receipt(cloud.signed(new TelemetryReceipt("acme", "dev-2", 1, 3)));
        sink.receipt(cloud.signed(new TelemetryReceipt("globex", "dev-1", 1, 3)));
        sink.receipt(cloud.signed(new TelemetryReceipt("acme", "dev-1", 1, 1000)));
        sink.receipt("{not json".getBytes(java.nio.charset.StandardCharsets.UTF_8));

        assertThat(sink.stats().ackedSeq()).isZero();
        assertThat(sink.stats().pendingRecords()).isEqualTo(3);
        assertThat(sink.receiptStats()).isEqualTo(new ReceiptStats(0, 6, 0, 0));

        sink.receipt(cloud.signed(real));

        assertThat(sink.stats().ackedSeq()).isEqualTo(3);
        assertThat(sink.receiptStats()).isEqualTo(new ReceiptStats(1, 6, 0, 0));
    }

    @Test
    void recordsTheCloudRefused_areReleasedWithTheirBatch_andCounted() {
        open(JournalSettings.DEFAULTS);
        submitOfflineThenConnect(1, 3);

        sink.receipt(cloud.signed(new TelemetryReceipt("acme", "dev-1", 1, 3, List.of(2L, 3L))));

        assertThat(sink.stats().ackedSeq()).isEqualTo(3);
        assertThat(sink.stats().pendingRecords()).isZero();
        assertThat(sink.receiptStats().refusedRecords()).isEqualTo(2);
    }

    @Test
    void aBatchWithoutReceipt_isSentAgainAfterTheReceiptTimeout_untilOneComes() {
        open(JournalSettings.DEFAULTS, Duration.ofMillis(100));
        submitOfflineThenConnect(1, 2);

        await().atMost(Duration.ofSeconds(10)).until(() -> sentBatches().size() >= 3);
        assertThat(sentBatches()).allSatisfy(b -> assertThat(b.records()).extracting(TelemetryRecord::seq).containsExactly(1L, 2L));
        assertThat(sink.resends()).isGreaterThanOrEqualTo(2);
        assertThat(sink.stats().pendingRecords()).isEqualTo(2);

        sink.receipt(receipt(1, 2));
        assertThat(sink.stats().pendingRecords()).isZero();
        int sent = sentBatches().size();
        submit(3, 3);
        assertThat(sentBatches()).hasSize(sent + 1);
        assertThat(sentBatches().get(sent).records()).extracting(TelemetryRecord::seq).containsExactly(3L);
    }

    @Test
    void aBatchSentOnThisConnectionBeforeItsConnectedCallback_isNotSentTwice() {
        open(JournalSettings.DEFAULTS);
        broker.connect();
        submit(1, 1);          // went out on the new connection
        sink.connected();      // the connection's callback comes after

        assertThat(sentSeqs()).containsExactly(1L);
        assertThat(sink.resends()).isZero();
    }

    @Test
    void receiptsMissingWhileConnected_checkTheSession_andRenewItOnlyWhenTheBrokerDoesNotConfirm() {
        broker.sessionCheck = () -> java.util.concurrent.CompletableFuture.failedFuture(new IllegalStateException("no SUBACK"));
        open(JournalSettings.DEFAULTS, Duration.ofMillis(50));
        submitOfflineThenConnect(1, 2);

        await().atMost(Duration.ofSeconds(10)).until(() -> broker.renewals.get() >= 1);
        assertThat(broker.sessionChecks.get()).isEqualTo(1);
        assertThat(sink.resends()).isGreaterThanOrEqualTo(OverdueReceipts.FIRST_CHECK - 1);
        assertThat(sink.stats().pendingRecords()).as("nothing released without a receipt").isEqualTo(2);
    }

    @Test
    void receiptsMissingWhileConnected_withABrokerThatConfirms_doNotRenewTheSession() {
        open(JournalSettings.DEFAULTS, Duration.ofMillis(20));
        submitOfflineThenConnect(1, 2);

        await().atMost(Duration.ofSeconds(10)).until(() -> broker.sessionChecks.get() >= 1);
        assertThat(broker.renewals.get()).isZero();
    }

    @Test
    void receiptTimeoutsWhileDisconnected_doNotRenewTheSession() throws InterruptedException {
        open(JournalSettings.DEFAULTS, Duration.ofMillis(20));
        submitOfflineThenConnect(1, 2);
        broker.disconnect();

        Thread.sleep(300); // well over three timeouts; what matters is that no renewal is asked for
        assertThat(broker.renewals.get()).isZero();
    }

    @Test
    void aBatchInFlightWhenTheConnectionComesBack_isSentAgainAtOnce() {
        open(JournalSettings.DEFAULTS);
        submitOfflineThenConnect(1, 2);
        broker.disconnect();
        sink.disconnected();
        broker.connect();
        sink.connected();

        assertThat(sentSeqs()).containsExactly(1L, 2L, 1L, 2L);
        assertThat(sink.resends()).isEqualTo(1);
        // The receipt of either copy releases the batch.
        sink.receipt(receipt(1, 2));
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
        cloudReceiptsEverything();
        assertThat(sink.stats().pendingRecords()).isZero();
    }

    @Test
    void recordsUnsentAtShutdown_areSentAfterTheRestart() {
        open(JournalSettings.DEFAULTS);
        broker.connect();
        submit(1, 2);
        cloudReceiptsEverything();
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
    void recordsTheBrokerAcknowledgedButTheCloudNeverReceipted_areSentAgainAfterARestart() {
        open(JournalSettings.DEFAULTS);
        submitOfflineThenConnect(1, 3);
        assertThat(sentSeqs()).containsExactly(1L, 2L, 3L);
        sink.close();
        sink = null;

        broker.published.clear();
        open(JournalSettings.DEFAULTS);
        sink.connected();

        assertThat(sentSeqs()).containsExactly(1L, 2L, 3L);
    }

    @Test
    void evictions_areReportedOnce_asAJournalEvictedEvent() {
        open(new JournalSettings(4 * SEGMENT, SEGMENT, Duration.ofSeconds(1), 500));
        submit(1, 20_000);
        long evicted = sink.stats().evictedRecords();

        broker.connect();
        sink.connected();
        cloudReceiptsEverything();
        sink.connected();

        List<DeviceEvent> events = broker.on(Channel.EVENT).stream()
                .map(p -> Json.read(p.payload(), DeviceEvent.class)).toList();
        assertThat(events).hasSize(1);
        assertThat(events.get(0).type()).isEqualTo(JournalTelemetrySink.JOURNAL_EVICTED);
        assertThat(events.get(0).details()).containsEntry("records", Long.toString(evicted));
        assertThat(sentSeqs().get(0)).isEqualTo(evicted + 1);
    }
}
