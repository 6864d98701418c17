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
        for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
            Optional<Versioned<T>> current = find(id);
            try {
                if (current.isEmpty()) {
                    T created = change.apply(initial);
                    create(id, created);
                    return created;
                }
                T changed = change.apply(current.get().value());
                if (!changed.equals(current.get().value())) {
                    replace(id, changed, current.get().version());
                }
                return changed;
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
