package io.latchkey.cloud.store;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;

/** A collection of one document type in a {@link TenantStore}, mapped to JSON. */
public final class JsonCollection<T> {
    private static final int MAX_ATTEMPTS = 20;

    private final TenantStore store;
    private final String name;
    private final Class<T> type;

    public JsonCollection(TenantStore store, String name, Class<T> type) {
        this.store = store;
        this.name = name;
        this.type = type;
    }

    public Optional<Versioned<T>> find(String id) {
        return store.read(name, id).map(v -> new Versioned<>(StoreJson.read(v.value(), type), v.version()));
    }

    public Optional<T> get(String id) {
        return find(id).map(Versioned::value);
    }

    /** @throws DocumentExistsException if the id is taken */
    public String create(String id, T value) {
        return store.create(name, id, StoreJson.write(value));
    }

    /** @throws VersionConflictException if the document changed since {@code version} was read */
    public String replace(String id, T value, String version) {
        return store.replace(name, id, StoreJson.write(value), version);
    }

    /**
     * Read-modify-write with optimistic concurrency: re-reads and re-applies {@code change} when
     * another writer got in between. Creates the document from {@code initial} if it does not exist.
     */
    public T upsert(String id, T initial, UnaryOperator<T> change) {
        return upsertFrom(id, null, initial, change).value();
    }

    /**
     * {@link #upsert}, starting from {@code known}, the document as this caller last read or wrote it, when there is
     * one: {@code change} is applied to it and written only if the stored version is still {@code known}'s (one
     * request instead of a read and a write). If another writer wrote since, the write is refused and this falls
     * back to the read-modify-write of {@link #upsert}, so the result is the same as {@code upsert}'s. If the change
     * leaves {@code known} as it is, the stored document is read: {@code known} may be stale, and only the current
     * document says whether there is anything to write.
     *
     * @return the document as stored now and its version (to pass as {@code known} next time)
     */
    public Versioned<T> upsertFrom(String id, Versioned<T> known, T initial, UnaryOperator<T> change) {
        if (known != null) {
            T changed = change.apply(known.value());
            if (!changed.equals(known.value())) {
                try {
                    return new Versioned<>(changed, replace(id, changed, known.version()));
                } catch (VersionConflictException e) {
                    // another writer got in between: read what it wrote
                }
            }
        }
        for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
            Optional<Versioned<T>> current = find(id);
            try {
                if (current.isEmpty()) {
                    T created = change.apply(initial);
                    return new Versioned<>(created, create(id, created));
                }
                T changed = change.apply(current.get().value());
                if (changed.equals(current.get().value())) {
                    return current.get();
                }
                return new Versioned<>(changed, replace(id, changed, current.get().version()));
            } catch (VersionConflictException | DocumentExistsException e) {
                Thread.onSpinWait();
            }
        }
        throw new VersionConflictException(name, id);
    }

    /** Removes the document; nothing happens if there is none. */
    public void delete(String id) {
        store.delete(name, id);
    }

    public List<String> ids() {
        return store.list(name);
    }

    public List<T> all() {
        List<T> values = new ArrayList<>();
        for (String id : ids()) {
            get(id).ifPresent(values::add);
        }
        return values;
    }
}
