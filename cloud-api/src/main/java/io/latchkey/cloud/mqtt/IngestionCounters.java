package io.latchkey.cloud.mqtt;

import jakarta.inject.Singleton;
import java.util.concurrent.atomic.AtomicLong;

/** Device messages taken in and dropped (bad topic, unknown tenant or device, malformed JSON). */
@Singleton
public class IngestionCounters {
    private final AtomicLong received = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();

    public void received() {
        received.incrementAndGet();
    }

    public void dropped() {
        dropped.incrementAndGet();
    }

    public long receivedCount() {
        return received.get();
    }

    public long droppedCount() {
        return dropped.get();
    }
}
