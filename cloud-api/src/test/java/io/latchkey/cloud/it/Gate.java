package io.latchkey.cloud.it;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/** A gate a test closes to stall some work of the backend (a write, a listener) and opens again; open at first. */
public final class Gate {
    private volatile CountDownLatch open = new CountDownLatch(0);
    private final AtomicInteger waiting = new AtomicInteger();

    /** From now on, {@link #pass} waits until {@link #open()}. */
    public void close() {
        open = new CountDownLatch(1);
    }

    public void open() {
        open.countDown();
    }

    /** Callers waiting at the gate right now. */
    public int waiting() {
        return waiting.get();
    }

    /** Waits while the gate is closed; fails after {@code atMost} so that a forgotten gate cannot hang a test run. */
    public void pass(Duration atMost) {
        CountDownLatch latch = open;
        waiting.incrementAndGet();
        try {
            if (!latch.await(atMost.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new IllegalStateException("held at the gate for " + atMost);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } finally {
            waiting.decrementAndGet();
        }
    }
}
