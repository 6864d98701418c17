package io.latchkey.agent.journal;

import static org.assertj.core.api.Assertions.assertThat;

import io.latchkey.agent.FakeBrokerConnection;
import io.latchkey.agent.TestCloud;
import io.latchkey.agent.mqtt.BrokerConnection;
import io.latchkey.protocol.Channel;
import io.latchkey.protocol.Json;
import io.latchkey.protocol.telemetry.TelemetryBatch;
import io.latchkey.protocol.telemetry.TelemetryReceipt;
import io.latchkey.protocol.telemetry.TelemetryRecord;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The agent's answer to overdue receipts on a simulated clock ({@link ManualScheduler}): a slow cloud gets fewer
 * and fewer resends and no session renewal; a session whose broker does not confirm a re-subscription is renewed.
 */
class SlowCloudReceiptsTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private final FakeBrokerConnection broker = new FakeBrokerConnection(new byte[0]);
    private final ManualScheduler time = new ManualScheduler();
    private final Clock clock = Clock.fixed(Instant.parse("2026-11-23T17:00:00Z"), ZoneOffset.UTC);
    private final TestCloud cloud = new TestCloud("acme", clock);
    private JournalTelemetrySink sink;

    @TempDir
    Path dir;

    @BeforeEach
    void open() {
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
        sink = new JournalTelemetrySink(TelemetryJournal.open(dir, JournalSettings.DEFAULTS, 0), broker,
                cloud.receiptVerifier("dev-1"), "dev-1", clock, time, Runnable::run, TIMEOUT, new SplittableRandom(16));
    }

    @AfterEach
    void close() {
        sink.close();
    }

    @Test
    void aCloudThatReceiptsEveryBatch45sLate_getsNoSessionRenewal_andEverythingIsReleased() {
        // the agent before: resends at 10, 20, 30 s and a session renewal at 30 s, for every batch
        submit(1, 2);
        java.util.Set<Integer> answered = new java.util.HashSet<>();
        for (int second = 0; second < 600; second++) {
            List<TelemetryBatch> sent = sent();
            for (int i = 0; i < sent.size(); i++) {
                if (answered.add(i)) {
                    TelemetryBatch b = sent.get(i);
                    long first = b.records().get(0).seq();
                    long last = b.records().get(b.records().size() - 1).seq();
                    time.schedule(() -> sink.receipt(receipt(first, last)), 45, java.util.concurrent.TimeUnit.SECONDS);
                }
            }
            if (second % 60 == 59 && second < 500) {
                sink.submit(Records.typical(3 + second / 60));
            }
            time.advance(Duration.ofSeconds(1));
        }

        assertThat(broker.renewals.get()).isZero();
        assertThat(sink.stats().pendingRecords()).isZero();
        long batches = sent().stream().map(b -> b.records().get(0).seq()).distinct().count();
        assertThat(sink.resends()).as("at most two resends a batch").isLessThanOrEqualTo(2 * batches);
    }

    @Test
    void aCloudSilentForTenMinutes_getsAFewResends_oneSessionCheck_andOneRenewal() {
        submit(1, 2);
        assertThat(sent()).hasSize(1);

        time.advance(Duration.ofMinutes(10));

        // before: a resend every 10 s (60) and a renewal every third (20); now the gaps double up to 300 s
        assertThat(sink.resends()).isBetween(4L, 8L);
        assertThat(sent()).hasSize((int) sink.resends() + 1)
                .allSatisfy(b -> assertThat(b.records()).extracting(TelemetryRecord::seq).containsExactly(1L, 2L));
        assertThat(broker.sessionChecks.get()).as("the 3rd overdue receipt: the broker confirms").isEqualTo(1);
        assertThat(broker.renewals.get()).as("the 6th (215-370 s): receipts still missing after the check").isEqualTo(1);
        assertThat(sink.stats().pendingRecords()).as("nothing released without a receipt").isEqualTo(2);
    }

    @Test
    void aRenewal_reconnects_butTheNextRenewalWaitsForTheTwelfthOverdueReceipt() {
        submit(1, 2);
        time.advance(Duration.ofMinutes(7)); // the 6th overdue receipt (215-370 s): renewed
        assertThat(broker.renewals.get()).isEqualTo(1);
        broker.disconnect(); // what a renewal does
        sink.disconnected();
        broker.connect();
        sink.connected();
        assertThat(sent().get(sent().size() - 1).records()).extracting(TelemetryRecord::seq).containsExactly(1L, 2L);

        // counted from 0 again, the 6th overdue receipt would come 215-370 s after the reconnection; from 6 or 7, the
        // 12th takes at least 4 more of 10 + 150 s after the first at +10 s: more than 10 minutes
        time.advance(Duration.ofMinutes(10));

        assertThat(broker.renewals.get()).isEqualTo(1);
        assertThat(sink.stats().pendingRecords()).isEqualTo(2);
    }

    @Test
    void aLateReceipt_duringTheBackoff_releasesTheBatch_withoutAResend() {
        submit(1, 2);
        time.advance(TIMEOUT.plusMillis(1)); // overdue: the resend waits 5-10 s
        assertThat(sink.resends()).isZero();

        sink.receipt(receipt(1, 2));
        time.advance(Duration.ofMinutes(1));

        assertThat(sink.resends()).isZero();
        assertThat(sent()).hasSize(1);
        assertThat(sink.stats().pendingRecords()).isZero();
    }

    @Test
    void theBackoff_startsAgain_afterAReceipt() {
        submit(1, 1);
        time.advance(Duration.ofSeconds(100)); // overdue several times: the next gap is long
        long before = sink.resends();
        assertThat(before).isPositive();
        sink.receipt(receipt(1, 1));

        sink.submit(Records.typical(2)); // connected: goes out at once
        time.advance(TIMEOUT.plus(TIMEOUT).plusMillis(1)); // the first overdue of a new count: resent within 10 s

        assertThat(sent().get(sent().size() - 1).records()).extracting(TelemetryRecord::seq).containsExactly(2L);
        assertThat(sink.resends()).isEqualTo(before + 1);
    }

    @Test
    void aSessionWhoseBrokerDoesNotConfirm_isRenewed_once_atTheThirdOverdueReceipt() {
        broker.sessionCheck = CompletableFuture::new; // no SUBACK ever
        submit(1, 2);

        time.advance(TIMEOUT.multipliedBy(3)); // 1st overdue at 10 s, resend by 20 s, 2nd by 30 s
        assertThat(broker.renewals.get()).isZero();
        time.advance(Duration.ofSeconds(60)); // 3rd overdue, the check, its time-out (10 s)

        assertThat(broker.sessionChecks.get()).isEqualTo(1);
        assertThat(broker.renewals.get()).isEqualTo(1);
        assertThat(sink.sessionRepairs()).containsExactly(1L, 1L);
    }

    @Test
    void aRefusedSubscription_countsAsAFailedCheck() {
        broker.sessionCheck = () -> CompletableFuture.failedFuture(new IllegalStateException("refused"));
        submit(1, 2);

        time.advance(Duration.ofSeconds(90));

        assertThat(broker.sessionChecks.get()).isEqualTo(1);
        assertThat(broker.renewals.get()).isEqualTo(1);
    }

    @Test
    void overdueReceiptsWhileDisconnected_areSentAgainOnReconnection_notChecked() {
        submit(1, 2);
        broker.disconnect();
        sink.disconnected();
        time.advance(Duration.ofMinutes(5));
        assertThat(broker.sessionChecks.get()).isZero();
        assertThat(broker.renewals.get()).isZero();

        broker.connect();
        sink.connected();

        assertThat(sent()).hasSize(2);
        assertThat(sent().get(1).records()).extracting(TelemetryRecord::seq).containsExactly(1L, 2L);
    }

    /** Journalled while offline, then connected: one batch of them goes out. */
    private void submit(long from, long to) {
        boolean wasConnected = broker.isConnected();
        if (wasConnected) {
            broker.disconnect();
        }
        for (long seq = from; seq <= to; seq++) {
            sink.submit(Records.typical(seq));
        }
        broker.connect();
        sink.connected();
    }

    private List<TelemetryBatch> sent() {
        return broker.on(Channel.TELEMETRY).stream().map(p -> Json.read(p.payload(), TelemetryBatch.class)).toList();
    }

    private byte[] receipt(long first, long last) {
        return cloud.signed(new TelemetryReceipt("acme", "dev-1", first, last));
    }
}
