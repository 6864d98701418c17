package io.latchkey.agent.journal;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.Callable;
import java.util.concurrent.Delayed;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * A scheduler on a simulated clock: nothing runs until {@link #advance} moves the time, then every task due runs on
 * the caller's thread in time order. Periodic tasks (the journal's group commit) are accepted and never run.
 */
final class ManualScheduler extends AbstractExecutorService implements ScheduledExecutorService {
    private long now;
    private long order;
    private final List<Task> tasks = new ArrayList<>();

    /** Nanoseconds since the start. */
    synchronized long nanos() {
        return now;
    }

    /** Moves the time forward by {@code by}, running each task when its time comes. */
    void advance(Duration by) {
        long until = nanos() + by.toNanos();
        while (true) {
            Task next;
            synchronized (this) {
                next = tasks.stream().filter(t -> !t.cancelled && t.at <= until)
                        .min(Comparator.comparingLong((Task t) -> t.at).thenComparingLong(t -> t.order)).orElse(null);
                if (next == null) {
                    now = until;
                    return;
                }
                tasks.remove(next);
                now = Math.max(now, next.at);
                next.done = true;
            }
            next.command.run();
        }
    }

    @Override
    public synchronized ScheduledFuture<?> schedule(Runnable command, long delay, TimeUnit unit) {
        Task t = new Task(command, now + unit.toNanos(delay), order++);
        tasks.add(t);
        return t;
    }

    @Override
    public <V> ScheduledFuture<V> schedule(Callable<V> callable, long delay, TimeUnit unit) {
        throw new UnsupportedOperationException();
    }

    @Override
    public ScheduledFuture<?> scheduleAtFixedRate(Runnable command, long initialDelay, long period, TimeUnit unit) {
        return new Task(command, Long.MAX_VALUE, -1);
    }

    @Override
    public ScheduledFuture<?> scheduleWithFixedDelay(Runnable command, long initialDelay, long delay, TimeUnit unit) {
        return new Task(command, Long.MAX_VALUE, -1);
    }

    @Override
    public void execute(Runnable command) {
        command.run();
    }

    @Override
    public void shutdown() {
    }

    @Override
    public List<Runnable> shutdownNow() {
        return List.of();
    }

    @Override
    public boolean isShutdown() {
        return false;
    }

    @Override
    public boolean isTerminated() {
        return false;
    }

    @Override
    public boolean awaitTermination(long timeout, TimeUnit unit) {
        return true;
    }

    private final class Task implements ScheduledFuture<Object> {
        final Runnable command;
        final long at;
        final long order;
        volatile boolean cancelled;
        volatile boolean done;

        Task(Runnable command, long at, long order) {
            this.command = command;
            this.at = at;
            this.order = order;
        }

        @Override
        public long getDelay(TimeUnit unit) {
            return unit.convert(at - nanos(), TimeUnit.NANOSECONDS);
        }

        @Override
        public int compareTo(Delayed o) {
            return Long.compare(getDelay(TimeUnit.NANOSECONDS), o.getDelay(TimeUnit.NANOSECONDS));
        }

        @Override
        public boolean cancel(boolean mayInterruptIfRunning) {
            cancelled = true;
            return !done;
        }

        @Override
        public boolean isCancelled() {
            return cancelled;
        }

        @Override
        public boolean isDone() {
            return done || cancelled;
        }

        @Override
        public Object get() {
            return null;
        }

        @Override
        public Object get(long timeout, TimeUnit unit) {
            return null;
        }
    }
}
