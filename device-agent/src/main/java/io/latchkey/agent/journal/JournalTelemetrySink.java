package io.latchkey.agent.journal;

import io.latchkey.agent.mqtt.BrokerConnection;
import io.latchkey.agent.telemetry.TelemetrySink;
import io.latchkey.protocol.Channel;
import io.latchkey.protocol.Json;
import io.latchkey.protocol.telemetry.DeviceEvent;
import io.latchkey.protocol.telemetry.TelemetryBatch;
import io.latchkey.protocol.telemetry.TelemetryRecord;
import java.time.Clock;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Telemetry through the {@link TelemetryJournal}: every record is appended to disk first, then sent
 * from the journal in sequence order, one batch in flight at a time, whenever the broker is
 * connected. A batch is fsynced before it is published and acknowledged in the journal only after
 * the broker's PUBACK, so a drop mid-flight means a resend (de-duplicated by the cloud), never a
 * loss. A timer runs the group commit ({@link TelemetryJournal#sync()}) every
 * {@link JournalSettings#fsyncInterval()}. Evictions and damage found at start-up are reported as
 * {@code JOURNAL_EVICTED} and {@code JOURNAL_DAMAGED} events.
 */
public final class JournalTelemetrySink implements TelemetrySink {
    public static final String JOURNAL_EVICTED = "JOURNAL_EVICTED";
    public static final String JOURNAL_DAMAGED = "JOURNAL_DAMAGED";

    private static final Logger LOG = LoggerFactory.getLogger(JournalTelemetrySink.class);

    private final TelemetryJournal journal;
    private final BrokerConnection connection;
    private final String deviceId;
    private final Clock clock;
    private final Executor executor;
    private final ScheduledFuture<?> groupCommit;
    private boolean inFlight;
    private boolean eventInFlight;
    private boolean damageReported;
    private boolean closed;
    private volatile String fault;

    public JournalTelemetrySink(TelemetryJournal journal, BrokerConnection connection, String deviceId, Clock clock,
                                ScheduledExecutorService scheduler, Executor executor) {
        this.journal = Objects.requireNonNull(journal, "journal");
        this.connection = Objects.requireNonNull(connection, "connection");
        this.deviceId = Objects.requireNonNull(deviceId, "deviceId");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.executor = Objects.requireNonNull(executor, "executor");
        long every = journal.settings().fsyncInterval().toNanos();
        this.groupCommit = scheduler.scheduleWithFixedDelay(this::groupCommit, every, every, TimeUnit.NANOSECONDS);
        this.damageReported = journal.stats().damagedSegments() == 0;
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
        drain();
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
        synchronized (this) {
            if (closed || !connection.isConnected()) {
                return;
            }
            reportEvents();
            if (inFlight) {
                return;
            }
            // Only durable records are published: a number the cloud has seen must never be reused.
            journal.syncRecords();
            batch = journal.readBatch(journal.settings().batchSize());
            if (batch.isEmpty()) {
                return;
            }
            inFlight = true;
        }
        connection.publish(Channel.TELEMETRY, Json.write(new TelemetryBatch(deviceId, batch.records())), false)
                .whenCompleteAsync((ok, error) -> {
                    synchronized (this) {
                        inFlight = false;
                        if (error == null) {
                            journal.acknowledge(batch);
                        } else {
                            LOG.debug("{}: telemetry batch up to seq {} not acknowledged: {}", deviceId, batch.lastSeq(),
                                    error.toString());
                        }
                    }
                    if (error == null) {
                        drain();
                    }
                }, executor);
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
        }
        groupCommit.cancel(false);
        journal.close();
    }
}
