package io.latchkey.cloud.outbox;

import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * The signal an outbox gives its delivery loop when a message is queued (or the loop should look again): a wait
 * returns early on it, and signals given while nobody waited count as one.
 */
final class Wakeups {
    private final Semaphore signals = new Semaphore(0);

    void signal() {
        signals.release();
    }

    /** Waits until signalled or the time is up; true if signalled (something new may be waiting). */
    boolean await(Duration timeout) throws InterruptedException {
        boolean signalled = signals.tryAcquire(Math.max(0, timeout.toMillis()), TimeUnit.MILLISECONDS);
        signals.drainPermits();
        return signalled;
    }
}
