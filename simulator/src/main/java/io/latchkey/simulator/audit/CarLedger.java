package io.latchkey.simulator.audit;

import io.latchkey.protocol.Json;
import io.latchkey.protocol.command.Command;
import io.latchkey.protocol.command.CommandAck;
import io.latchkey.protocol.command.SignedCommand;
import io.latchkey.protocol.telemetry.TelemetryBatch;
import io.latchkey.protocol.telemetry.TelemetryRecord;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What one car's MQTT traffic showed, seen from between the agent and its broker connection and timed
 * on the simulator's true clock: commands received (with their signed validity window), answers sent,
 * telemetry batches the broker acknowledged, connections made. It outlives agent restarts, so that
 * the audit sees a car's whole history.
 */
public final class CarLedger {
    /** A command as it reached the car. */
    public record Received(String id, String type, Instant expiresAt, Instant receivedAt) {
    }

    /** An answer as the car published it. */
    public record Answered(String commandId, String outcome, String reason, boolean duplicate, Instant at) {
    }

    private final String deviceId;
    private final Clock clock;
    /** The agent's "begun" record of a command: when its write started and when it was durable. */
    public record Begun(String commandId, Instant startedAt, Instant durableAt) {
    }

    private final Map<String, Received> received = new ConcurrentHashMap<>();
    private final Map<String, Begun> begun = new ConcurrentHashMap<>();
    private final List<Answered> answers = new CopyOnWriteArrayList<>();
    private final AtomicLong connections = new AtomicLong();
    private final AtomicLong telemetryBatches = new AtomicLong();
    private volatile Instant lastConnectedAt;
    private volatile long highestAckedSeq;

    public CarLedger(String deviceId, Clock clock) {
        this.deviceId = deviceId;
        this.clock = clock;
    }

    public String deviceId() {
        return deviceId;
    }

    void connected() {
        connections.incrementAndGet();
        lastConnectedAt = clock.instant();
    }

    /** The car received this message on its command channel (signed command as sent, or anything else). */
    public void commandReceived(byte[] payload) {
        Instant now = clock.instant();
        try {
            SignedCommand signed = Json.read(payload, SignedCommand.class);
            Command c = Json.read(Base64.getUrlDecoder().decode(signed.payload()), Command.class);
            received.putIfAbsent(c.id() + "@" + now.toEpochMilli(), new Received(c.id(), c.type().name(), c.expiresAt(), now));
        } catch (RuntimeException e) {
            received.put("malformed@" + now.toEpochMilli(), new Received(null, null, null, now));
        }
    }

    /** The car published this answer on its ack channel. */
    public void answerPublished(byte[] payload) {
        try {
            CommandAck ack = io.latchkey.protocol.command.SignedAck.readUnverified(payload);
            answers.add(new Answered(ack.commandId(), ack.outcome() == null ? null : ack.outcome().name(), ack.reason(),
                    ack.duplicate(), clock.instant()));
        } catch (RuntimeException e) {
            answers.add(new Answered(null, "UNPARSEABLE:" + new String(payload, StandardCharsets.UTF_8), null, false, clock.instant()));
        }
    }

    /** The agent's command history began this id: the write started at {@code startedAt}, was forced by now. */
    public void begun(String commandId, Instant startedAt) {
        begun.putIfAbsent(commandId, new Begun(commandId, startedAt, clock.instant()));
    }

    /** The first "begun" record of this id, if the car wrote one. */
    public java.util.Optional<Begun> begun(String commandId) {
        return java.util.Optional.ofNullable(begun.get(commandId));
    }

    /** The clock this ledger times on (the simulator's true clock). */
    public Clock clock() {
        return clock;
    }

    void telemetryAcknowledged(byte[] payload) {
        telemetryBatches.incrementAndGet();
        try {
            TelemetryBatch batch = Json.read(payload, TelemetryBatch.class);
            long max = batch.records().stream().mapToLong(TelemetryRecord::seq).max().orElse(0);
            synchronized (this) {
                highestAckedSeq = Math.max(highestAckedSeq, max);
            }
        } catch (RuntimeException e) {
            // The agent wrote it; a batch it cannot read back would show up as a gap in the audit.
        }
    }

    /** Every delivery of a command to the car (a command delivered twice appears twice). */
    public List<Received> received() {
        List<Received> all = new ArrayList<>(received.values());
        all.sort(java.util.Comparator.comparing(Received::receivedAt));
        return all;
    }

    public List<Answered> answers() {
        return List.copyOf(answers);
    }

    public long connections() {
        return connections.get();
    }

    /** When the car last connected (null if never). */
    public Instant lastConnectedAt() {
        return lastConnectedAt;
    }

    /** The highest telemetry sequence number the broker acknowledged to the car. */
    public long highestAckedSeq() {
        return highestAckedSeq;
    }

    public long telemetryBatchesAcknowledged() {
        return telemetryBatches.get();
    }
}
