package io.latchkey.agent.command;

import io.latchkey.hal.Registration;
import io.latchkey.hal.lock.DoorLocks;
import io.latchkey.hal.lock.LockState;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Pulses a lock relay and waits, without blocking a thread, for the feedback to report the requested
 * state. The answer is what the feedback says, never what was pulsed. Not for concurrent use: the
 * agent runs one command at a time per car (see {@link SerialQueue}).
 */
public final class LockActuator implements AutoCloseable {
    /** What the feedback showed: {@code confirmed} when it reached the target within the timeout. */
    public record Feedback(boolean confirmed, LockState state) {
    }

    private record Waiter(LockState target, CompletableFuture<Feedback> result) {
    }

    private final DoorLocks locks;
    private final ScheduledExecutorService scheduler;
    private final Duration timeout;
    private final AtomicReference<Waiter> pending = new AtomicReference<>();
    private final Registration feedback;

    public LockActuator(DoorLocks locks, ScheduledExecutorService scheduler, Duration timeout) {
        this.locks = Objects.requireNonNull(locks, "locks");
        this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
        this.timeout = Objects.requireNonNull(timeout, "timeout");
        this.feedback = locks.addListener(this::onFeedback);
    }

    /** Detaches from the lock feedback. */
    @Override
    public void close() {
        feedback.close();
    }

    /** Pulses the unlock relay and completes with the feedback. A relay error completes exceptionally. */
    public CompletableFuture<Feedback> unlock() {
        return drive(LockState.UNLOCKED, locks::pulseUnlock);
    }

    /** Pulses the lock relay and completes with the feedback. A relay error completes exceptionally. */
    public CompletableFuture<Feedback> lock() {
        return drive(LockState.LOCKED, locks::pulseLock);
    }

    private CompletableFuture<Feedback> drive(LockState target, Runnable pulse) {
        CompletableFuture<Feedback> result = new CompletableFuture<>();
        Waiter waiter = new Waiter(target, result);
        // Registered before the pulse so that a feedback edge during the pulse is not missed.
        pending.set(waiter);
        try {
            pulse.run();
        } catch (RuntimeException e) {
            pending.compareAndSet(waiter, null);
            result.completeExceptionally(e);
            return result;
        }
        LockState now = locks.state();
        if (now == target) {
            result.complete(new Feedback(true, now));
        } else {
            ScheduledFuture<?> timer = scheduler.schedule(
                    () -> result.complete(new Feedback(false, locks.state())), timeout.toNanos(), TimeUnit.NANOSECONDS);
            result.whenComplete((f, e) -> timer.cancel(false));
        }
        result.whenComplete((f, e) -> pending.compareAndSet(waiter, null));
        return result;
    }

    private void onFeedback(LockState state) {
        Waiter w = pending.get();
        if (w != null && w.target() == state) {
            w.result().complete(new Feedback(true, state));
        }
    }
}
