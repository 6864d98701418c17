package io.latchkey.agent.telemetry;

import io.latchkey.protocol.telemetry.TelemetryRecord;

/**
 * Where sequenced records go once sampled. Today that is an in-memory {@link OutboxTelemetrySink};
 * the store-and-forward journal of issue 3 slots in here as a sink that appends to disk first and
 * drains to the broker in order whenever connected.
 */
public interface TelemetrySink {
    /** Takes a record, in sequence order; must not block for long (called on the agent's shared threads). */
    void submit(TelemetryRecord record);

    /** The broker connection is (again) up: a good moment to send what waited. */
    default void connected() {
    }
}
