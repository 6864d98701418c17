package io.latchkey.cloud.store;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What this process last wrote (or read) of some documents, with their versions, so that the next change of one
 * is written conditionally on that version without reading it first ({@link JsonCollection#upsertFrom}): a
 * document that one writer changes over and over (a car's state, its trip progress, changed by every telemetry
 * batch of the car) then costs one request per change instead of two. Nothing here is trusted: a write on a stale
 * version is refused by the store, and the caller reads. At most {@code capacity} entries, the least recently used
 * dropped first (a dropped one costs a read again). Safe for concurrent use.
 */
public final class LastWritten<T> {
    private final Map<String, Versioned<T>> entries;

    public LastWritten(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be at least 1");
        }
        this.entries = java.util.Collections.synchronizedMap(new LinkedHashMap<>(256, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Versioned<T>> eldest) {
                return size() > capacity;
            }
        });
    }

    /** The entry for {@code key}, or null. */
    public Versioned<T> get(String key) {
        return entries.get(key);
    }

    public void put(String key, Versioned<T> written) {
        entries.put(key, written);
    }

    public void forget(String key) {
        entries.remove(key);
    }

    public int size() {
        return entries.size();
    }
}
