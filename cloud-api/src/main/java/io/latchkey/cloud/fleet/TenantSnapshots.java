package io.latchkey.cloud.fleet;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A per-tenant value read from the store and kept in memory: the first read loads it on the caller's thread;
 * afterwards a read returns the value in memory at once and, when it is older than {@code refresh}, starts one
 * reload in the background (a read never waits for the store again).
 */
final class TenantSnapshots<T> {
    private static final Logger LOG = LoggerFactory.getLogger(TenantSnapshots.class);

    private record Entry<T>(T value, long loadedAtNanos, AtomicBoolean reloading) {
    }

    private final Function<String, T> load;
    private final long refreshNanos;
    private final Executor background;
    private final Map<String, Entry<T>> entries = new ConcurrentHashMap<>();

    TenantSnapshots(Function<String, T> load, Duration refresh, Executor background) {
        this.load = load;
        this.refreshNanos = refresh.toNanos();
        this.background = background;
    }

    T get(String tenant) {
        Entry<T> entry = entries.get(tenant);
        if (entry == null) {
            entry = entries.computeIfAbsent(tenant, t -> new Entry<>(load.apply(t), System.nanoTime(), new AtomicBoolean()));
        } else if (System.nanoTime() - entry.loadedAtNanos() > refreshNanos && entry.reloading().compareAndSet(false, true)) {
            Entry<T> stale = entry;
            background.execute(() -> {
                try {
                    entries.put(tenant, new Entry<>(load.apply(tenant), System.nanoTime(), new AtomicBoolean()));
                } catch (RuntimeException e) {
                    stale.reloading().set(false);
                    LOG.warn("could not refresh the fleet's {} of tenant {}", stale.value().getClass().getSimpleName(), tenant, e);
                }
            });
        }
        return entry.value();
    }

    /** Forgets the tenant's value: the next read loads it again. */
    void invalidate(String tenant) {
        entries.remove(tenant);
    }
}
