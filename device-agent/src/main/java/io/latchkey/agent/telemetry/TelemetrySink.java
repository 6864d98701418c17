package io.latchkey.agent.telemetry;

import io.latchkey.protocol.telemetry.TelemetryRecord;

/**
 * Where sequenced records go once sampled: the on-disk {@code JournalTelemetrySink} in the agent, or
 * the in-memory {@link OutboxTelemetrySink} where nothing must touch the disk.
 */
public interface TelemetrySink extends AutoCloseable {
    /** Takes a record, in sequence order; must not block for long (called on the agent's shared threads). */
    void submit(TelemetryRecord record);

    /** The broker connection is (again) up: a good moment to send what waited. */
    default void connected() {
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
