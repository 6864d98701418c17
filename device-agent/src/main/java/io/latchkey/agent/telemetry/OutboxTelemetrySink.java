package io.latchkey.agent.telemetry;

import io.latchkey.agent.mqtt.BrokerConnection;
import io.latchkey.protocol.Channel;
import io.latchkey.protocol.Json;
import io.latchkey.protocol.telemetry.TelemetryBatch;
import io.latchkey.protocol.telemetry.TelemetryRecord;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Holds records in memory until the broker has acknowledged them, and sends them in order, one batch
 * in flight at a time, whenever the connection is up. A record leaves the outbox only after its
 * PUBACK, so a drop mid-flight means a resend (the cloud de-duplicates by device and seq), never a
 * loss. Bounded: when full, the oldest record is evicted and counted. It does not survive a restart;
 * the on-disk journal of issue 3 replaces it behind the same {@link TelemetrySink} interface.
 */
public final class OutboxTelemetrySink implements TelemetrySink {
    private static final Logger LOG = LoggerFactory.getLogger(OutboxTelemetrySink.class);

    private final BrokerConnection connection;
    private final String deviceId;
    private final int capacity;
    private final int maxBatch;
    private final Deque<TelemetryRecord> pending = new ArrayDeque<>();
    private boolean inFlight;
    private long evicted;

    public OutboxTelemetrySink(BrokerConnection connection, String deviceId, int capacity, int maxBatch) {
        this.connection = Objects.requireNonNull(connection, "connection");
        this.deviceId = Objects.requireNonNull(deviceId, "deviceId");
        if (capacity < 1 || maxBatch < 1) {
            throw new IllegalArgumentException("capacity and maxBatch must be at least 1");
        }
        this.capacity = capacity;
        this.maxBatch = maxBatch;
    }

    @Override
    public void submit(TelemetryRecord record) {
        synchronized (this) {
            pending.addLast(record);
            if (pending.size() > capacity) {
                pending.removeFirst();
                evicted++;
                if (evicted == 1 || evicted % 1000 == 0) {
                    LOG.warn("{}: telemetry outbox full, {} record(s) evicted so far", deviceId, evicted);
                }
            }
        }
        drain();
    }

    @Override
    public void connected() {
        drain();
    }

    /** Records not yet acknowledged by the broker. */
    public synchronized int pending() {
        return pending.size();
    }

    /** Records dropped because the outbox was full. */
    public synchronized long evicted() {
        return evicted;
    }

    private void drain() {
        List<TelemetryRecord> batch;
        synchronized (this) {
            if (inFlight || pending.isEmpty() || !connection.isConnected()) {
                return;
            }
            batch = new ArrayList<>(Math.min(maxBatch, pending.size()));
            for (TelemetryRecord r : pending) {
                if (batch.size() == maxBatch) {
                    break;
                }
                batch.add(r);
            }
            inFlight = true;
        }
        connection.publish(Channel.TELEMETRY, Json.write(new TelemetryBatch(deviceId, batch)), false)
                .whenComplete((ok, error) -> {
                    synchronized (this) {
                        inFlight = false;
                        if (error == null) {
                            // Only the head can have been evicted meanwhile; drop what was sent and is still there.
                            long lastSent = batch.get(batch.size() - 1).seq();
                            while (!pending.isEmpty() && pending.peekFirst().seq() <= lastSent) {
                                pending.removeFirst();
                            }
                        } else {
                            LOG.debug("{}: telemetry batch up to seq {} not acknowledged: {}", deviceId,
                                    batch.get(batch.size() - 1).seq(), error.toString());
                        }
                    }
                    if (error == null) {
                        drain();
                    }
                });
    }
}
