package io.latchkey.cloud.store.azure;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.function.Supplier;
import reactor.core.scheduler.Schedulers;

/**
 * The Azure SDK's synchronous clients block on Reactor, which refuses to block on a thread marked
 * non-blocking (Netty's event loops, where Micronaut runs authentication fetchers). A store call made on
 * such a thread runs on {@code executor} and the caller waits for it, as it would for a file read; every
 * other caller runs the call itself.
 */
final class OffEventLoop {
    private final Executor executor;

    OffEventLoop(Executor executor) {
        this.executor = executor;
    }

    <T> T call(Supplier<T> call) {
        if (!Schedulers.isInNonBlockingThread()) {
            return call.get();
        }
        try {
            return CompletableFuture.supplyAsync(call, executor).join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException cause) {
                throw cause;
            }
            throw e;
        }
    }

    void run(Runnable call) {
        call(() -> {
            call.run();
            return null;
        });
    }
}
