package io.latchkey.cloud.mqtt;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.inject.Singleton;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Device messages taken in and dropped (bad topic, unknown tenant or device, malformed JSON), and those forwarded to
 * the replica that owns their car and received from another replica (car-sticky ingestion, {@link StickyIngestion}).
 * Exported at {@code /prometheus} as {@code latchkey_ingestion_forwarded_total}, {@code latchkey_ingestion_forwards_received_total}
 * and {@code latchkey_ingestion_forwards_failed_total} (processed here instead).
 */
@Singleton
public class IngestionCounters {
    private final AtomicLong received = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicLong forwarded = new AtomicLong();
    private final AtomicLong forwardsReceived = new AtomicLong();
    private final AtomicLong forwardsFailed = new AtomicLong();

    public IngestionCounters(MeterRegistry registry) {
        FunctionCounter.builder("latchkey.ingestion.forwarded", forwarded, AtomicLong::get)
                .description("Device messages forwarded to the replica that owns their car").register(registry);
        FunctionCounter.builder("latchkey.ingestion.forwards.received", forwardsReceived, AtomicLong::get)
                .description("Device messages another replica forwarded here, processed here").register(registry);
        FunctionCounter.builder("latchkey.ingestion.forwards.failed", forwardsFailed, AtomicLong::get)
                .description("Forwards the broker did not take, processed by the replica that received the message").register(registry);
    }

    public void received() {
        received.incrementAndGet();
    }

    public void dropped() {
        dropped.incrementAndGet();
    }

    public void forwarded() {
        forwarded.incrementAndGet();
    }

    public void forwardReceived() {
        forwardsReceived.incrementAndGet();
    }

    public void forwardFailed() {
        forwardsFailed.incrementAndGet();
    }

    public long receivedCount() {
        return received.get();
    }

    public long droppedCount() {
        return dropped.get();
    }

    public long forwardedCount() {
        return forwarded.get();
    }

    public long forwardsReceivedCount() {
        return forwardsReceived.get();
    }

    public long forwardsFailedCount() {
        return forwardsFailed.get();
    }
}
