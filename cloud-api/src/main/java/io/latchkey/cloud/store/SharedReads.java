package io.latchkey.cloud.store;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * At most one read per key under way: a caller that asks for a key while another caller's read of it is still in
 * the store waits for that read and gets its result (or its exception) instead of sending a second request. A read
 * asked for after the one under way returned is a new read. For caches in front of the store, where a value is
 * read ahead on one thread and needed a moment later on another (a car's device key: read while the command
 * travels, needed when the car's answer comes).
 *
 * @param <K> the key
 * @param <V> what a read returns
 */
public final class SharedReads<K, V> {
    private final Map<K, CompletableFuture<V>> underWay = new ConcurrentHashMap<>();

    /** Runs {@code read} on this thread, or waits for the read of {@code key} already under way. */
    public V read(K key, Supplier<V> read) {
        CompletableFuture<V> mine = new CompletableFuture<>();
        CompletableFuture<V> theirs = underWay.putIfAbsent(key, mine);
        if (theirs != null) {
            try {
                return theirs.join();
            } catch (CompletionException e) {
                throw e.getCause() instanceof RuntimeException r ? r : e;
            }
        }
        try {
            V value = read.get();
            mine.complete(value);
            return value;
        } catch (RuntimeException | Error e) {
            mine.completeExceptionally(e);
            throw e;
        } finally {
            underWay.remove(key, mine);
        }
    }

    /** Reads under way right now (for tests). */
    int underWay() {
        return underWay.size();
    }
}
