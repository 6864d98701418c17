package io.latchkey.cloud.telemetry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.latchkey.cloud.store.FileTenantStore;
import io.latchkey.cloud.store.Stores;
import io.latchkey.cloud.store.StreamEnd;
import io.latchkey.cloud.store.StreamRead;
import io.latchkey.cloud.store.TenantStore;
import io.latchkey.cloud.store.Versioned;
import io.latchkey.protocol.telemetry.TelemetryRecord;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TelemetryStoreTest {
    @TempDir
    Path dir;

    private final AtomicInteger appendAllCalls = new AtomicInteger();
    private TelemetryStore store = new TelemetryStore(stores());

    @Test
    void appendNew_storesABatch_inSeqOrder_withOneAppendAll() {
        List<TelemetryRecord> stored = store.appendNew("acme", "dev-1", records(3, 1, 2));
        assertThat(seqs(stored)).containsExactly(1L, 2L, 3L);
        assertThat(storedSeqs("dev-1")).containsExactly(1L, 2L, 3L);
        assertThat(appendAllCalls).hasValue(1);
    }

    @Test
    void appendNew_storesADuplicateWithinTheBatch_once_keepingTheFirst() {
        TelemetryRecord first = record(2, "first");
        List<TelemetryRecord> stored = store.appendNew("acme", "dev-1", List.of(record(1, null), first, record(2, "second")));
        assertThat(seqs(stored)).containsExactly(1L, 2L);
        assertThat(stored.get(1)).isEqualTo(first);
        assertThat(store.recent("acme", "dev-1", 10)).extracting(TelemetryRecord::reason).containsExactly(null, "first");
    }

    @Test
    void appendNew_skipsSeqsStoredByAnEarlierBatch() {
        store.appendNew("acme", "dev-1", records(1, 2, 3));
        List<TelemetryRecord> stored = store.appendNew("acme", "dev-1", records(2, 3, 4, 5));
        assertThat(seqs(stored)).containsExactly(4L, 5L);
        assertThat(storedSeqs("dev-1")).containsExactly(1L, 2L, 3L, 4L, 5L);
    }

    @Test
    void appendNew_ofOnlyDuplicates_writesNothing() {
        store.appendNew("acme", "dev-1", records(1, 2));
        appendAllCalls.set(0);
        assertThat(store.appendNew("acme", "dev-1", records(2, 1, 2))).isEmpty();
        assertThat(store.appendNew("acme", "dev-1", List.of())).isEmpty();
        assertThat(appendAllCalls).hasValue(0);
        assertThat(storedSeqs("dev-1")).containsExactly(1L, 2L);
    }

    @Test
    void appendNew_afterARestart_rebuildsTheLedgerFromTheStream() {
        store.appendNew("acme", "dev-1", records(1, 2, 3, 7));
        store.appendNew("acme", "dev-2", records(1));

        store = new TelemetryStore(stores());
        List<TelemetryRecord> stored = store.appendNew("acme", "dev-1", records(2, 3, 4, 5, 6, 7, 8));
        assertThat(seqs(stored)).containsExactly(4L, 5L, 6L, 8L);
        assertThat(seqs(store.appendNew("acme", "dev-2", records(1, 2)))).containsExactly(2L);
        assertThat(storedSeqs("dev-1")).containsExactly(1L, 2L, 3L, 7L, 4L, 5L, 6L, 8L);
    }

    @Test
    void appendNew_afterACrashThatTornTheLastBatch_takesTheLostRecordsAsNew() throws Exception {
        store.appendNew("acme", "dev-1", records(1, 2));
        Path file = dir.resolve("tenants/acme/streams/telemetry-dev-1.jsonl");
        Files.write(file, "{\"seq\":3,\"ti".getBytes(StandardCharsets.UTF_8), StandardOpenOption.APPEND);

        store = new TelemetryStore(stores());
        assertThat(seqs(store.appendNew("acme", "dev-1", records(2, 3, 4)))).containsExactly(3L, 4L);
        assertThat(storedSeqs("dev-1")).containsExactly(1L, 2L, 3L, 4L);
    }

    @Test
    void appendNew_withASeqBelowOne_isRefused_andStoresNothing() {
        assertThatThrownBy(() -> store.appendNew("acme", "dev-1", records(1, 0)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(storedSeqs("dev-1")).isEmpty();
        assertThat(seqs(store.appendNew("acme", "dev-1", records(1)))).containsExactly(1L);
    }

    @Test
    void append_isAppendNewOfOneRecord() {
        assertThat(store.append("acme", "dev-1", record(1, null))).isTrue();
        assertThat(store.append("acme", "dev-1", record(1, null))).isFalse();
        assertThat(storedSeqs("dev-1")).containsExactly(1L);
    }

    @Test
    void devices_andTenants_haveTheirOwnLedgers() {
        store.appendNew("acme", "dev-1", records(1, 2));
        assertThat(seqs(store.appendNew("acme", "dev-2", records(1, 2)))).containsExactly(1L, 2L);
        assertThat(seqs(store.appendNew("globex", "dev-1", records(1, 2)))).containsExactly(1L, 2L);
    }

    @Test
    void twoReplicas_onOneStore_storeASeqOnce_evenWhenOnesLedgerIsBehind() {
        Stores shared = stores();
        TelemetryStore a = new TelemetryStore(shared);
        TelemetryStore b = new TelemetryStore(shared);
        assertThat(seqs(a.appendNew("acme", "dev-1", records(1, 2)))).containsExactly(1L, 2L);
        // the car's next batch reaches replica b, which has not seen dev-1 before
        assertThat(seqs(b.appendNew("acme", "dev-1", records(3)))).containsExactly(3L);
        // the car missed b's receipt and resends 3 with 4; this time replica a, whose ledger ends at 2, gets it
        assertThat(seqs(a.appendNew("acme", "dev-1", records(3, 4)))).containsExactly(4L);
        assertThat(a.highestSeq("acme", "dev-1")).isEqualTo(4L);
        assertThat(seqs(b.appendNew("acme", "dev-1", records(2, 3, 4, 5)))).containsExactly(5L);
        assertThat(storedSeqs("dev-1")).containsExactly(1L, 2L, 3L, 4L, 5L);
    }

    @Test
    void twoReplicas_storing_tellWhatTheOtherAppendedSinceTheirLastAppend_once() {
        Stores shared = stores();
        TelemetryStore a = new TelemetryStore(shared);
        TelemetryStore b = new TelemetryStore(shared);
        TelemetryStore.Stored first = a.store("acme", "dev-1", records(1));
        assertThat(seqs(first.stored())).containsExactly(1L);
        assertThat(first.appendedByOthers()).as("a read the whole stream: nothing in between").isEmpty();
        assertThat(b.store("acme", "dev-1", records(2)).appendedByOthers()).isEmpty();
        b.store("acme", "dev-1", records(3));
        TelemetryStore.Stored fourth = a.store("acme", "dev-1", records(4));
        assertThat(seqs(fourth.stored())).containsExactly(4L);
        assertThat(seqs(fourth.appendedByOthers())).as("b's batches since a's last append").containsExactly(2L, 3L);
        TelemetryStore.Stored fifth = a.store("acme", "dev-1", records(5));
        assertThat(fifth.appendedByOthers()).as("told once").isEmpty();
        // a resend of what b stored: nothing new, and what b appended is still told
        b.store("acme", "dev-1", records(6));
        TelemetryStore.Stored resent = a.store("acme", "dev-1", records(6));
        assertThat(resent.stored()).isEmpty();
        // a's ledger did not know 6: its append was refused and the catch-up read b's 6
        assertThat(seqs(resent.appendedByOthers())).containsExactly(6L);
    }

    @Test
    void twoReplicas_ingestingOneDeviceConcurrently_storeEverySeqExactlyOnce() throws Exception {
        Stores shared = stores();
        List<TelemetryStore> replicas = List.of(new TelemetryStore(shared), new TelemetryStore(shared));
        int batches = 200;
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(4);
        try {
            List<java.util.concurrent.Future<?>> done = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                TelemetryStore replica = replicas.get(t % 2);
                done.add(pool.submit(() -> {
                    // every batch goes to both replicas (a resend after a lost receipt), in any interleaving
                    for (int i = 1; i <= batches; i++) {
                        replica.appendNew("acme", "dev-1", records(2L * i - 1, 2L * i));
                    }
                    return null;
                }));
            }
            for (java.util.concurrent.Future<?> f : done) {
                f.get(60, java.util.concurrent.TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        List<Long> stored = new ArrayList<>();
        new TelemetryStore(shared).recent("acme", "dev-1", 10_000).forEach(r -> stored.add(r.seq()));
        assertThat(stored).hasSize(2 * batches).doesNotHaveDuplicates();
    }

    /** File stores under {@code dir}, counting the batch appends that reach them. */
    private Stores stores() {
        Map<String, TenantStore> tenants = new ConcurrentHashMap<>();
        return new Stores() {
            @Override
            public TenantStore platform() {
                throw new UnsupportedOperationException("telemetry is tenant data");
            }

            @Override
            public TenantStore tenant(String tenantId) {
                return tenants.computeIfAbsent(tenantId, id -> new CountingStore(dir.resolve("tenants").resolve(id)));
            }
        };
    }

    /** A file store that counts {@code appendAll} calls. */
    private final class CountingStore implements TenantStore {
        private final FileTenantStore files;

        CountingStore(Path root) {
            files = new FileTenantStore(root);
        }

        @Override
        public void appendAll(String stream, List<byte[]> records) {
            appendAllCalls.incrementAndGet();
            files.appendAll(stream, records);
        }

        @Override
        public void append(String stream, byte[] record) {
            files.append(stream, record);
        }

        @Override
        public List<byte[]> tail(String stream, int limit) {
            return files.tail(stream, limit);
        }

        @Override
        public void forEach(String stream, Consumer<byte[]> consumer) {
            files.forEach(stream, consumer);
        }

        @Override
        public Optional<Versioned<byte[]>> read(String collection, String id) {
            throw new UnsupportedOperationException();
        }

        @Override
        public String create(String collection, String id, byte[] content) {
            throw new UnsupportedOperationException();
        }

        @Override
        public String replace(String collection, String id, byte[] content, String expectedVersion) {
            throw new UnsupportedOperationException();
        }

        @Override
        public List<String> list(String collection) {
            throw new UnsupportedOperationException();
        }

        @Override
        public List<String> collections() {
            throw new UnsupportedOperationException();
        }

        @Override
        public List<String> streams() {
            return files.streams();
        }

        @Override
        public StreamEnd end(String stream) {
            return files.end(stream);
        }

        @Override
        public StreamEnd appendAt(String stream, byte[] record, String expectedPosition) {
            throw new UnsupportedOperationException();
        }

        @Override
        public StreamEnd appendAllAt(String stream, List<byte[]> records, String expectedPosition) {
            appendAllCalls.incrementAndGet();
            return files.appendAllAt(stream, records, expectedPosition);
        }

        @Override
        public StreamRead since(String stream, String position) {
            return files.since(stream, position);
        }

        @Override
        public String start() {
            return files.start();
        }
    }

    private List<Long> storedSeqs(String deviceId) {
        return seqs(store.recent("acme", deviceId, 1000));
    }

    private static List<Long> seqs(List<TelemetryRecord> records) {
        return records.stream().map(TelemetryRecord::seq).toList();
    }

    private static List<TelemetryRecord> records(long... seqs) {
        List<TelemetryRecord> records = new ArrayList<>();
        for (long seq : seqs) {
            records.add(record(seq, null));
        }
        return records;
    }

    private static TelemetryRecord record(long seq, String reason) {
        return new TelemetryRecord(seq, Instant.parse("2025-05-01T10:00:00Z").plusSeconds(seq), 52.5, 13.4, 30.0,
                1200.0, null, false, true, 3, null, reason);
    }
}
