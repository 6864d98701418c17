package io.latchkey.agent.telemetry;

import io.latchkey.protocol.telemetry.TelemetryRecord;

/**
 * Where sequenced records go once sampled. Today records are published straight to the broker
 * ({@link PublishingTelemetrySink}); the store-and-forward journal of issue 3 slots in here as a sink
 * that appends to disk first and drains to the broker in order when connected.
 */
public interface TelemetrySink {
    /** Takes a record, in sequence order; must not block for long (called on the agent's shared threads). */
    void submit(TelemetryRecord record);
}
