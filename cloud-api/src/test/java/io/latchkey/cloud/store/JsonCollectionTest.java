package io.latchkey.cloud.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JsonCollectionTest {
    record Counter(int n) {
    }

    @TempDir
    Path dir;

    @Test
    void upsert_createsThenChanges() {
        JsonCollection<Counter> counters = new JsonCollection<>(new FileTenantStore(dir), "counters", Counter.class);
        assertThat(counters.upsert("c", new Counter(0), c -> new Counter(c.n() + 1))).isEqualTo(new Counter(1));
        assertThat(counters.upsert("c", new Counter(0), c -> new Counter(c.n() + 1))).isEqualTo(new Counter(2));
        assertThat(counters.get("c")).contains(new Counter(2));
        assertThat(counters.all()).containsExactly(new Counter(2));
    }

    @Test
    void upsert_letsADomainRefusalThrough_andWritesNothing() {
        JsonCollection<Counter> counters = new JsonCollection<>(new FileTenantStore(dir), "counters", Counter.class);
        counters.create("c", new Counter(5));
        assertThatThrownBy(() -> counters.upsert("c", new Counter(0), c -> {
            throw new IllegalStateException("no");
        })).hasMessage("no");
        assertThat(counters.get("c")).contains(new Counter(5));
    }

    @Test
    void upsertFrom_onTheCurrentVersion_writesWithoutReading() {
        CountingStore store = new CountingStore(new FileTenantStore(dir));
        JsonCollection<Counter> counters = new JsonCollection<>(store, "counters", Counter.class);
        Versioned<Counter> first = counters.upsertFrom("c", null, new Counter(0), c -> new Counter(c.n() + 1));
        int reads = store.reads;
        Versioned<Counter> second = counters.upsertFrom("c", first, new Counter(0), c -> new Counter(c.n() + 1));
        assertThat(second.value()).isEqualTo(new Counter(2));
        assertThat(store.reads).isEqualTo(reads);
        assertThat(counters.find("c")).contains(second);
    }

    @Test
    void upsertFrom_aStaleVersion_isRefusedAndTheChangeAppliedToWhatAnotherWriterStored() {
        CountingStore store = new CountingStore(new FileTenantStore(dir));
        JsonCollection<Counter> counters = new JsonCollection<>(store, "counters", Counter.class);
        Versioned<Counter> mine = counters.upsertFrom("c", null, new Counter(0), c -> new Counter(c.n() + 1));
        counters.upsert("c", new Counter(0), c -> new Counter(10)); // the other replica
        Versioned<Counter> next = counters.upsertFrom("c", mine, new Counter(0), c -> new Counter(c.n() + 1));
        assertThat(next.value()).isEqualTo(new Counter(11));
        assertThat(counters.find("c")).contains(next);
    }

    @Test
    void upsertFrom_aChangeThatLeavesAStaleCopyAlone_readsAndWritesNothingWhenTheStoredOneNeedsNothing() {
        CountingStore store = new CountingStore(new FileTenantStore(dir));
        JsonCollection<Counter> counters = new JsonCollection<>(store, "counters", Counter.class);
        Versioned<Counter> mine = counters.upsertFrom("c", null, new Counter(0), c -> new Counter(5));
        Versioned<Counter> theirs = new Versioned<>(new Counter(7), counters.replace("c", new Counter(7), mine.version()));
        int writes = store.writes;
        Versioned<Counter> result = counters.upsertFrom("c", mine, new Counter(0), c -> new Counter(Math.max(c.n(), 5)));
        assertThat(result).isEqualTo(theirs);
        assertThat(store.writes).isEqualTo(writes);
    }

    /** Counts reads and writes of documents. */
    static final class CountingStore implements TenantStore {
        final TenantStore store;
        int reads;
        int writes;

        CountingStore(TenantStore store) {
            this.store = store;
        }

        @Override
        public java.util.Optional<Versioned<byte[]>> read(String collection, String id) {
            reads++;
            return store.read(collection, id);
        }

        @Override
        public String create(String collection, String id, byte[] content) {
            writes++;
            return store.create(collection, id, content);
        }

        @Override
        public String replace(String collection, String id, byte[] content, String expectedVersion) {
            writes++;
            return store.replace(collection, id, content, expectedVersion);
        }

        @Override
        public java.util.List<String> list(String collection) {
            return store.list(collection);
        }

        @Override
        public java.util.List<String> collections() {
            return store.collections();
        }

        @Override
        public java.util.List<String> streams() {
            return store.streams();
        }

        @Override
        public void append(String stream, byte[] record) {
            store.append(stream, record);
        }

        @Override
        public void appendAll(String stream, java.util.List<byte[]> records) {
            store.appendAll(stream, records);
        }

        @Override
        public java.util.List<byte[]> tail(String stream, int limit) {
            return store.tail(stream, limit);
        }

        @Override
        public void forEach(String stream, java.util.function.Consumer<byte[]> consumer) {
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
        public StreamEnd appendAllAt(String stream, java.util.List<byte[]> records, String expectedPosition) {
            return store.appendAllAt(stream, records, expectedPosition);
        }

        @Override
        public String start() {
            return store.start();
        }

        @Override
        public StreamRead since(String stream, String position) {
            return store.since(stream, position);
        }
    }
}
