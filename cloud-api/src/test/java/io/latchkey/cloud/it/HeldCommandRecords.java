package io.latchkey.cloud.it;

import io.latchkey.cloud.store.FileStores;
import io.latchkey.cloud.store.Stores;
import io.latchkey.cloud.store.StoresFactory;
import io.latchkey.cloud.store.StreamEnd;
import io.latchkey.cloud.store.TenantStore;
import io.latchkey.cloud.store.Versioned;
import io.micronaut.context.annotation.Replaces;
import io.micronaut.context.annotation.Requires;
import jakarta.inject.Singleton;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The real file stores, except that writes of command records ({@code commands/*}) wait while held: a disk stall
 * on exactly the command's own document, to show what the unlock waits for.
 */
@Singleton
@Replaces(bean = Stores.class, factory = StoresFactory.class)
@Requires(property = HeldCommandRecords.ENABLED, value = "true")
public class HeldCommandRecords implements Stores {
    public static final String ENABLED = "latchkey.test.hold-command-records";
    /**
     * With {@code true} the stores say they are shared ({@link Stores#writtenByThisProcessOnly()} false), so that the
     * backend writes as a replica on a shared store does (the command's entry and {@code PENDING} record before the
     * publish).
     */
    public static final String SHARED = "latchkey.test.hold-command-records.shared";

    private final FileStores files;
    private final boolean shared;
    private final Gate gate = new Gate();
    private final Gate entries = new Gate();
    private final Gate readGate = new Gate();
    private volatile String heldReadCollection;
    private volatile String heldReadId;
    private final java.util.Map<String, java.util.concurrent.atomic.AtomicLong> reads =
            new java.util.concurrent.ConcurrentHashMap<>();
    private volatile boolean failEntries;

    public HeldCommandRecords(FileStores files,
                              @io.micronaut.context.annotation.Value("${" + SHARED + ":false}") boolean shared) {
        this.files = files;
        this.shared = shared;
    }

    /** From now on, the commands' tracking entries ({@code commands-pending}) wait until {@link #releaseEntries()}. */
    public void holdEntries() {
        entries.close();
    }

    public void releaseEntries() {
        entries.open();
    }

    /** Tracking entries waiting right now. */
    public int entriesWaiting() {
        return entries.waiting();
    }

    /** While {@code true}, the store refuses to write tracking entries (a store failure, not a crash). */
    public void failEntries(boolean fail) {
        failEntries = fail;
    }

    /** The stored record of command {@code id} of tenant {@code acme} in the file store under {@code dataDir}, or "". */
    public static String commandRecord(java.nio.file.Path dataDir, String id) throws java.io.IOException {
        java.nio.file.Path file = dataDir.resolve("tenants/acme/docs/commands/" + id + ".json");
        return java.nio.file.Files.exists(file) ? java.nio.file.Files.readString(file) : "";
    }

    /**
     * From now on, reads of document {@code id} of {@code collection} (any of its documents where {@code id} is null)
     * wait until {@link #releaseReads()}.
     */
    public void holdReadsOf(String collection, String id) {
        heldReadCollection = collection;
        heldReadId = id;
        readGate.close();
    }

    public void releaseReads() {
        readGate.open();
        heldReadCollection = null;
    }

    /** Reads of held documents waiting right now. */
    public int readsWaiting() {
        return readGate.waiting();
    }

    /** Reads of documents of {@code collection} so far (started, held ones included). */
    public long readsOf(String collection) {
        java.util.concurrent.atomic.AtomicLong n = reads.get(collection);
        return n == null ? 0 : n.get();
    }

    /** From now on, command records wait until {@link #release()}. */
    public void hold() {
        gate.close();
    }

    public void release() {
        gate.open();
    }

    /** Writes of command records waiting right now. */
    public int waiting() {
        return gate.waiting();
    }

    @Override
    public TenantStore platform() {
        return files.platform();
    }

    @Override
    public TenantStore tenant(String tenantId) {
        return new Held(files.tenant(tenantId));
    }

    @Override
    public boolean writtenByThisProcessOnly() {
        return !shared && files.writtenByThisProcessOnly();
    }

    private void pause(String collection) {
        if ("commands-pending".equals(collection)) {
            entries.pass(java.time.Duration.ofSeconds(30));
            if (failEntries) {
                throw new io.latchkey.cloud.store.StoreException("test: the store refuses the tracking entry");
            }
        }
        if (!"commands".equals(collection)) {
            return;
        }
        gate.pass(java.time.Duration.ofSeconds(30));
    }

    private final class Held implements TenantStore {
        private final TenantStore store;

        Held(TenantStore store) {
            this.store = store;
        }

        @Override
        public Optional<Versioned<byte[]>> read(String collection, String id) {
            reads.computeIfAbsent(collection, c -> new java.util.concurrent.atomic.AtomicLong()).incrementAndGet();
            if (collection.equals(heldReadCollection) && (heldReadId == null || id.equals(heldReadId))) {
                readGate.pass(java.time.Duration.ofSeconds(30));
            }
            return store.read(collection, id);
        }

        @Override
        public String create(String collection, String id, byte[] content) {
            pause(collection);
            return store.create(collection, id, content);
        }

        @Override
        public String replace(String collection, String id, byte[] content, String expectedVersion) {
            pause(collection);
            return store.replace(collection, id, content, expectedVersion);
        }

        @Override
        public void delete(String collection, String id) {
            store.delete(collection, id);
        }

        @Override
        public List<String> list(String collection) {
            return store.list(collection);
        }

        @Override
        public List<String> collections() {
            return store.collections();
        }

        @Override
        public List<String> streams() {
            return store.streams();
        }

        @Override
        public void append(String stream, byte[] record) {
            store.append(stream, record);
        }

        @Override
        public void appendAll(String stream, List<byte[]> records) {
            store.appendAll(stream, records);
        }

        @Override
        public List<byte[]> tail(String stream, int limit) {
            return store.tail(stream, limit);
        }

        @Override
        public void forEach(String stream, Consumer<byte[]> consumer) {
            store.forEach(stream, consumer);
        }

        @Override
        public StreamEnd end(String stream) {
            return store.end(stream);
        }

        @Override
        public StreamEnd appendAt(String stream, byte[] record, String expectedPosition) {
            return store.appendAt(stream, record, expectedPosition);
        }

        @Override
        public StreamEnd appendAllAt(String stream, List<byte[]> records, String expectedPosition) {
            return store.appendAllAt(stream, records, expectedPosition);
        }

        @Override
        public String start() {
            return store.start();
        }

        @Override
        public io.latchkey.cloud.store.StreamRead since(String stream, String position) {
            return store.since(stream, position);
        }
    }
}
