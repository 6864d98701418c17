package io.latchkey.simulator.fleet;

import java.util.List;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One simulated agent process's view of the fleet's shared threads: timers on the shared scheduler and
 * work on the shared pool, so a thousand agents cost a handful of threads. {@link #kill} is what
 * {@code kill -9} does to a process: nothing it scheduled or queued runs any more (periodic tasks stop
 * at their next turn), while the shared threads carry on for everyone else.
 */
final class ProcessThreads extends AbstractExecutorService implements ScheduledExecutorService {
    private final ScheduledExecutorService timers;
    private final ExecutorService workers;
    private final ExecutorService commands;
    private final AtomicInteger running = new AtomicInteger();
    private volatile boolean killed;

    ProcessThreads(ScheduledExecutorService timers, ExecutorService workers, ExecutorService commands) {
        this.timers = timers;
        this.workers = workers;
        this.commands = commands;
    }

    /** The agent's work executor (HAL events, journal, receipts). */
    Executor workExecutor() {
        return task -> workers.execute(guard(task));
    }

    /** Where the agent's commands run: the fleet's command threads, shared by all cars but not with telemetry. */
    Executor commandExecutor() {
        return task -> commands.execute(guard(task));
    }

    /** Nothing of this process runs any more; waits (bounded) for what is running right now to end. */
    void kill() {
        killed = true;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (running.get() > 0 && System.nanoTime() < deadline) {
            try {
                Thread.sleep(1);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    boolean isKilled() {
        return killed;
    }

    private Runnable guard(Runnable task) {
        return () -> {
            if (killed) {
                return;
            }
            running.incrementAndGet();
            try {
                if (!killed) {
                    task.run();
                }
            } finally {
                running.decrementAndGet();
            }
        };
    }

    private Runnable periodic(Runnable task) {
        return () -> {
            if (killed) {
                // Ends the periodic schedule on the shared scheduler.
                throw new CancellationException("process killed");
            }
            guard(task).run();
        };
    }

    @Override
    public void execute(Runnable command) {
        timers.execute(guard(command));
    }

    @Override
    public ScheduledFuture<?> schedule(Runnable command, long delay, TimeUnit unit) {
        return timers.schedule(guard(command), delay, unit);
    }

    @Override
    public <V> ScheduledFuture<V> schedule(Callable<V> callable, long delay, TimeUnit unit) {
        return timers.schedule(() -> {
            if (killed) {
                throw new CancellationException("process killed");
            }
            running.incrementAndGet();
            try {
                return callable.call();
            } finally {
                running.decrementAndGet();
            }
        }, delay, unit);
    }

    @Override
    public ScheduledFuture<?> scheduleAtFixedRate(Runnable command, long initialDelay, long period, TimeUnit unit) {
        return timers.scheduleAtFixedRate(periodic(command), initialDelay, period, unit);
    }

    @Override
    public ScheduledFuture<?> scheduleWithFixedDelay(Runnable command, long initialDelay, long delay, TimeUnit unit) {
        return timers.scheduleWithFixedDelay(periodic(command), initialDelay, delay, unit);
    }

    /** The shared threads belong to the fleet: shutting down a process only kills it. */
    @Override
    public void shutdown() {
        killed = true;
    }

    @Override
    public List<Runnable> shutdownNow() {
        killed = true;
        return List.of();
    }

    @Override
    public boolean isShutdown() {
        return killed;
    }

    @Override
    public boolean isTerminated() {
        return killed && running.get() == 0;
    }

    @Override
    public boolean awaitTermination(long timeout, TimeUnit unit) {
        return isTerminated();
    }
}
