package io.latchkey.agent.telemetry;

import java.util.concurrent.atomic.AtomicLong;

/** A counter that starts again at 1 after a restart; for tests. */
public final class InMemorySequenceCounter implements SequenceCounter {
    private final AtomicLong last = new AtomicLong();

    @Override
    public long next() {
        return last.incrementAndGet();
    }

    @Override
    public long last() {
        return last.get();
    }
}
