package io.latchkey.agent.command;

import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Supplier;

/**
 * Runs asynchronous tasks one after another on a shared executor: the next task starts when the
 * previous one's future completes, however it completes. A car's commands go through one queue so
 * that two relays never fire at once and a repeated id always finds the first one's result, while a
 * thousand cars share a handful of threads.
 */
public final class SerialQueue {
    private final Executor executor;
    private CompletableFuture<?> tail = CompletableFuture.completedFuture(null);

    public SerialQueue(Executor executor) {
        this.executor = Objects.requireNonNull(executor, "executor");
    }

    /** Completes (never exceptionally) when every task submitted so far has finished. */
    public synchronized CompletableFuture<Void> idle() {
        return tail.handle((r, e) -> null);
    }

    public synchronized <T> CompletableFuture<T> submit(Supplier<CompletableFuture<T>> task) {
        CompletableFuture<T> next = tail.handle((r, e) -> null).thenComposeAsync(ignored -> task.get(), executor);
        tail = next;
        return next;
    }
}
