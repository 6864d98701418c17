package io.latchkey.agent.telemetry;

import io.latchkey.protocol.telemetry.TelemetryRecord;

/**
 * Where sequenced records go once sampled: the on-disk {@code JournalTelemetrySink} in the agent (and
 * in every simulated car); tests may put their own behind it.
 */
public interface TelemetrySink extends AutoCloseable {
    /** Takes a record, in sequence order; must not block for long (called on the agent's shared threads). */
    void submit(TelemetryRecord record);

    /** The broker connection is (again) up: a good moment to send what waited. */
    default void connected() {
    }

    /** The broker connection dropped: what was in flight may be lost with it. */
    default void disconnected() {
    }

    /**
     * A message on the device's receipt channel, as received and not yet trusted: if it is a signed
     * receipt that verifies and covers what was sent, the cloud stored (or refused as implausible) the
     * records of its range and they may be released. Records are never released on the broker's PUBACK
     * alone, because the broker may still lose them. Sinks that keep nothing (test collectors) ignore it.
     */
    default void receipt(byte[] message) {
    }

    /** Null while records are stored fine; otherwise why the last one could not be (disk full, I/O error). */
    default String fault() {
        return null;
    }

    /** Makes everything submitted so far durable (a no-op for sinks that keep nothing). */
    default void flush() {
    }

    /** Flushes and releases files and timers; records submitted afterwards are refused. */
    @Override
    default void close() {
    }
}
