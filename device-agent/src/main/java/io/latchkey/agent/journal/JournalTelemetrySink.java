package io.latchkey.agent.journal;

import io.latchkey.agent.mqtt.BrokerConnection;
import io.latchkey.agent.telemetry.TelemetrySink;
import io.latchkey.protocol.Channel;
import io.latchkey.protocol.Json;
import io.latchkey.protocol.telemetry.DeviceEvent;
import io.latchkey.protocol.telemetry.ReceiptRejectedException;
import io.latchkey.protocol.telemetry.ReceiptVerifier;
import io.latchkey.protocol.telemetry.TelemetryBatch;
import io.latchkey.protocol.telemetry.TelemetryReceipt;
import io.latchkey.protocol.telemetry.TelemetryRecord;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Telemetry through the {@link TelemetryJournal}: every record is appended to disk first, then sent
 * from the journal in sequence order, one batch in flight at a time, whenever the broker is
 * connected. A batch is fsynced before it is published and released from the journal only on the
 * cloud's {@link TelemetryReceipt} (the batch is durably stored), not on the broker's PUBACK: a
 * broker can acknowledge a message and still lose it (a full queue, a crash). A batch without a
 * receipt within the receipt timeout is sent again after a backoff, and one in flight when the connection
 * comes back at once (the cloud de-duplicates by device and seq), so records are resent, never lost; overdue
 * receipts check the broker session and renew it only when the broker does not answer ({@link OverdueReceipts}). A receipt is trusted
 * only if it verifies ({@link ReceiptVerifier}: the tenant's pinned command key, this tenant and device)
 * and covers no seq this car has not sent; anything else is logged, counted ({@link ReceiptStats}) and
 * releases nothing. Records the cloud refused as implausible are released with their batch and counted. A timer runs the group commit ({@link TelemetryJournal#sync()}) every
 * {@link JournalSettings#fsyncInterval()}. Evictions and damage found at start-up are reported as
 * {@code JOURNAL_EVICTED} and {@code JOURNAL_DAMAGED} events.
 */
public final class JournalTelemetrySink implements TelemetrySink {
    public static final String JOURNAL_EVICTED = "JOURNAL_EVICTED";
    public static final String JOURNAL_DAMAGED = "JOURNAL_DAMAGED";

    private static final Logger LOG = LoggerFactory.getLogger(JournalTelemetrySink.class);

    private final TelemetryJournal journal;
    private final BrokerConnection connection;
    private final ReceiptVerifier receiptVerifier;
    private final String deviceId;
    private final Clock clock;
    private final Executor executor;
    private final ScheduledExecutorService scheduler;
    private final Duration receiptTimeout;
    private final ScheduledFuture<?> groupCommit;
    /** The batch sent and not yet receipted, or null. */
    private JournalBatch inFlight;
    /** Numbers each send, so that a late PUBACK or timeout of an earlier send changes nothing. */
    private long sendNumber;
    private ScheduledFuture<?> receiptTimer;
    /** The connection dropped while the batch in flight was out: send it again on the next connection. */
    private boolean inFlightLost;
    private long resends;
    /** Receipt timeouts in a row while connected: resend backoff and session checks; reset by a releasing receipt. */
    private final OverdueReceipts overdue;
    private long sessionChecks;
    private long sessionRenewals;
    /** The highest seq that may have been sent: what the journal held at start, then every batch published. */
    private long highestSent;
    private long receiptsAccepted;
    private long receiptsRejected;
    private long receiptsStale;
    private long refusedRecords;
    private boolean eventInFlight;
    private boolean damageReported;
    private boolean closed;
    private volatile String fault;

    /** How long a sent batch waits for its receipt before it is sent again, unless configured. */
    public static final Duration DEFAULT_RECEIPT_TIMEOUT = Duration.ofSeconds(10);

    public JournalTelemetrySink(TelemetryJournal journal, BrokerConnection connection, ReceiptVerifier receiptVerifier,
                                String deviceId, Clock clock, ScheduledExecutorService scheduler, Executor executor) {
        this(journal, connection, receiptVerifier, deviceId, clock, scheduler, executor, DEFAULT_RECEIPT_TIMEOUT);
    }

    /** @param receiptVerifier checks each message on the receipt channel before it may release anything */
    public JournalTelemetrySink(TelemetryJournal journal, BrokerConnection connection, ReceiptVerifier receiptVerifier,
                                String deviceId, Clock clock, ScheduledExecutorService scheduler, Executor executor,
                                Duration receiptTimeout) {
        this(journal, connection, receiptVerifier, deviceId, clock, scheduler, executor, receiptTimeout, new SplittableRandom());
    }

    /** @param random the jitter of the resend backoff ({@link OverdueReceipts}) */
    public JournalTelemetrySink(TelemetryJournal journal, BrokerConnection connection, ReceiptVerifier receiptVerifier,
                                String deviceId, Clock clock, ScheduledExecutorService scheduler, Executor executor,
                                Duration receiptTimeout, RandomGenerator random) {
        this.journal = Objects.requireNonNull(journal, "journal");
        this.connection = Objects.requireNonNull(connection, "connection");
        this.receiptVerifier = Objects.requireNonNull(receiptVerifier, "receiptVerifier");
        this.deviceId = Objects.requireNonNull(deviceId, "deviceId");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.executor = Objects.requireNonNull(executor, "executor");
        this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
        this.receiptTimeout = Objects.requireNonNull(receiptTimeout, "receiptTimeout");
        if (receiptTimeout.isNegative() || receiptTimeout.isZero()) {
            throw new IllegalArgumentException("receiptTimeout must be positive, got " + receiptTimeout);
        }
        this.overdue = new OverdueReceipts(receiptTimeout, random);
        long every = journal.settings().fsyncInterval().toNanos();
        this.groupCommit = scheduler.scheduleWithFixedDelay(this::groupCommit, every, every, TimeUnit.NANOSECONDS);
        this.damageReported = journal.stats().damagedSegments() == 0;
        // Records journalled before a restart may have been sent by the previous process.
        this.highestSent = journal.stats().lastSeq();
    }

    @Override
    public void submit(TelemetryRecord record) {
        try {
            journal.append(record);
            fault = null;
        } catch (JournalException e) {
            fault = e.getMessage();
            throw e;
        }
        drain();
    }

    @Override
    public String fault() {
        return fault;
    }

    @Override
    public void connected() {
        synchronized (this) {
            // (the overdue count goes on across connections: a renewal must not start the escalation again)
            // A batch in flight when the connection went may be lost with it, or already receipted by a
            // cloud whose receipt is lost: send it again now rather than after the timeout. (Not a batch
            // sent on this very connection just before its connected callback ran.)
            if (inFlight != null && inFlightLost) {
                resend("reconnected");
            }
        }
        drain();
    }

    @Override
    public synchronized void disconnected() {
        if (inFlight != null) {
            inFlightLost = true;
        }
    }

    @Override
    public void receipt(byte[] message) {
        // Receipts arrive on the connection's I/O thread; checking the signature (about 80 µs), trimming
        // segments and the next batch's fsync and read do not belong there.
        executor.execute(() -> onReceipt(message));
    }

    private void onReceipt(byte[] message) {
        TelemetryReceipt receipt;
        try {
            receipt = receiptVerifier.verify(message);
        } catch (ReceiptRejectedException e) {
            synchronized (this) {
                receiptsRejected++;
            }
            LOG.warn("{}: ignoring a telemetry receipt that does not verify: {}", deviceId, e.getMessage());
            return;
        }
        synchronized (this) {
            if (receipt.lastSeq() > highestSent) {
                receiptsRejected++;
                LOG.warn("{}: ignoring a telemetry receipt for {}..{}: seqs above {} were never sent", deviceId,
                        receipt.firstSeq(), receipt.lastSeq(), highestSent);
                return;
            }
            if (closed || inFlight == null || !receipt.covers(inFlight.firstSeq(), inFlight.lastSeq())) {
                receiptsStale++;
                LOG.debug("{}: receipt {}..{} matches nothing in flight", deviceId, receipt.firstSeq(), receipt.lastSeq());
                return;
            }
            int refused = receipt.refusedWithin(inFlight.firstSeq(), inFlight.lastSeq());
            if (refused > 0) {
                refusedRecords += refused;
                LOG.warn("{}: the cloud refused {} implausible telemetry record(s) of {}..{} (seqs {}); released unstored",
                        deviceId, refused, inFlight.firstSeq(), inFlight.lastSeq(), receipt.refused());
            }
            journal.acknowledge(inFlight);
            receiptsAccepted++;
            clearInFlight();
            overdue.reset();
        }
        drain();
    }

    /** What became of the messages on the receipt channel since start. */
    public synchronized ReceiptStats receiptStats() {
        return new ReceiptStats(receiptsAccepted, receiptsRejected, receiptsStale, refusedRecords);
    }

    /** Session checks (subscribing again) after overdue receipts, and the renewals that followed failed checks. */
    public synchronized long[] sessionRepairs() {
        return new long[] {sessionChecks, sessionRenewals};
    }

    /** Batches sent again because no receipt came in time or the connection came back. */
    public synchronized long resends() {
        return resends;
    }

    @Override
    public void flush() {
        journal.sync();
    }

    public JournalStats stats() {
        return journal.stats();
    }

    private void groupCommit() {
        try {
            journal.sync();
        } catch (RuntimeException e) {
            fault = e.getMessage();
            LOG.warn("{}: telemetry journal group commit failed: {}", deviceId, e.toString());
        }
    }

    private void drain() {
        JournalBatch batch;
        long number;
        synchronized (this) {
            if (closed || !connection.isConnected()) {
                return;
            }
            reportEvents();
            if (inFlight != null) {
                return;
            }
            // Only durable records are published: a number the cloud has seen must never be reused.
            journal.syncRecords();
            batch = journal.readBatch(journal.settings().batchSize());
            if (batch.isEmpty()) {
                return;
            }
            inFlight = batch;
            highestSent = Math.max(highestSent, batch.lastSeq());
            number = ++sendNumber;
            receiptTimer = scheduler.schedule(() -> receiptOverdue(number), receiptTimeout.toNanos(), TimeUnit.NANOSECONDS);
        }
        connection.publish(Channel.TELEMETRY, Json.write(new TelemetryBatch(deviceId, batch.records())), false)
                .whenCompleteAsync((ok, error) -> {
                    if (error == null) {
                        return; // the broker has it; the batch stays in the journal until its receipt
                    }
                    synchronized (this) {
                        if (number != sendNumber || inFlight == null) {
                            return;
                        }
                        LOG.debug("{}: telemetry batch {}..{} not acknowledged by the broker: {}", deviceId,
                                batch.firstSeq(), batch.lastSeq(), error.toString());
                        // Sent again once connected (connected() -> drain()).
                        clearInFlight();
                    }
                }, executor);
    }

    private void receiptOverdue(long number) {
        OverdueReceipts.Step step;
        synchronized (this) {
            if (closed || number != sendNumber || inFlight == null) {
                return;
            }
            if (!connection.isConnected()) {
                // sent again at once when the connection is back (connected())
                resend("no receipt within " + receiptTimeout.toMillis() + " ms, disconnected");
                return;
            }
            // The batch stays in flight through the backoff, so that a late receipt still releases it.
            step = overdue.overdue();
            receiptTimer = scheduler.schedule(() -> resendAfterBackoff(number, step), step.resendAfter().toNanos(),
                    TimeUnit.NANOSECONDS);
            if (step.session() == OverdueReceipts.Session.CHECK) {
                sessionChecks++;
            } else if (step.session() == OverdueReceipts.Session.RENEW) {
                sessionRenewals++;
            }
        }
        if (step.session() == OverdueReceipts.Session.CHECK) {
            checkSession(step.inARow());
        } else if (step.session() == OverdueReceipts.Session.RENEW) {
            LOG.warn("{}: {} telemetry receipts overdue in a row although the broker confirmed the subscriptions; "
                    + "renewing the session", deviceId, step.inARow());
            connection.renewSession();
        }
    }

    private void resendAfterBackoff(long number, OverdueReceipts.Step step) {
        synchronized (this) {
            if (closed || number != sendNumber || inFlight == null) {
                return;
            }
            resend("no receipt within " + receiptTimeout.toMillis() + " ms and a backoff of "
                    + step.resendAfter().toMillis() + " ms (" + step.inARow() + " overdue in a row)");
        }
        drain();
    }

    /**
     * Subscribes again on the live connection; renews the session only if the broker does not confirm in time: a
     * slow cloud is not a dead session (OverdueReceipts).
     */
    private void checkSession(int inARow) {
        CompletableFuture<Void> check;
        try {
            check = connection.checkSession();
        } catch (RuntimeException e) {
            check = CompletableFuture.failedFuture(e);
        }
        // timed on the sink's own scheduler: a SUBACK that does not come within the receipt timeout counts as none
        CompletableFuture<Void> timed = new CompletableFuture<>();
        check.whenComplete((ok, error) -> {
            if (error == null) {
                timed.complete(null);
            } else {
                timed.completeExceptionally(error);
            }
        });
        Runnable noSuback = () -> timed.completeExceptionally(new java.util.concurrent.TimeoutException(
                "no SUBACK within " + receiptTimeout.toMillis() + " ms"));
        ScheduledFuture<?> timeout = scheduler.schedule(noSuback, receiptTimeout.toNanos(), TimeUnit.NANOSECONDS);
        timed.whenComplete((ok, error) -> timeout.cancel(false));
        timed.whenCompleteAsync((ok, error) -> {
            if (error == null) {
                LOG.debug("{}: {} telemetry receipts overdue in a row; the broker confirmed the subscriptions", deviceId, inARow);
                return;
            }
            synchronized (this) {
                if (closed) {
                    return;
                }
                sessionRenewals++;
            }
            LOG.warn("{}: {} telemetry receipts overdue in a row and the broker did not confirm the subscriptions ({}); "
                    + "renewing the session", deviceId, inARow, error.toString());
            connection.renewSession();
        }, executor);
    }

    /** Called holding the lock: forget the batch in flight so that the next drain reads it again. */
    private void resend(String why) {
        LOG.debug("{}: sending telemetry {}..{} again: {}", deviceId, inFlight.firstSeq(), inFlight.lastSeq(), why);
        resends++;
        clearInFlight();
    }

    /** Called holding the lock. */
    private void clearInFlight() {
        inFlight = null;
        inFlightLost = false;
        sendNumber++;
        if (receiptTimer != null) {
            receiptTimer.cancel(false);
            receiptTimer = null;
        }
    }

    /** Called holding the lock; at most one event in flight. */
    private void reportEvents() {
        if (eventInFlight) {
            return;
        }
        long evicted = journal.unreportedEvictions();
        if (evicted > 0) {
            JournalStats s = journal.stats();
            publishEvent(JOURNAL_EVICTED, Map.of("records", Long.toString(evicted),
                    "totalEvicted", Long.toString(s.evictedRecords()),
                    "maxBytes", Long.toString(journal.settings().maxBytes())), () -> journal.evictionsReported(evicted));
        } else if (!damageReported) {
            JournalStats s = journal.stats();
            publishEvent(JOURNAL_DAMAGED, Map.of("truncatedBytes", Long.toString(s.truncatedBytes()),
                    "damagedSegments", Integer.toString(s.damagedSegments())), () -> damageReported = true);
        }
    }

    private void publishEvent(String type, Map<String, String> details, Runnable onAck) {
        eventInFlight = true;
        CompletableFuture<Void> sent = connection.publish(Channel.EVENT,
                Json.write(new DeviceEvent(deviceId, type, clock.instant(), details)), false);
        sent.whenCompleteAsync((ok, error) -> {
            synchronized (this) {
                eventInFlight = false;
                if (error == null) {
                    onAck.run();
                }
            }
            if (error == null) {
                drain();
            }
        }, executor);
    }

    /** Stops the group-commit timer, fsyncs records and cursor, and closes the journal. */
    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            if (receiptTimer != null) {
                receiptTimer.cancel(false);
            }
        }
        groupCommit.cancel(false);
        journal.close();
    }
}
