package io.latchkey.cloud.audit;

import static org.assertj.core.api.Assertions.assertThat;

import io.latchkey.cloud.store.FileTenantStore;
import io.latchkey.cloud.store.Stores;
import io.latchkey.cloud.store.TenantStore;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HashChainedAuditLogTest {
    private static final Instant T0 = Instant.parse("2025-05-01T10:00:00Z");

    @TempDir
    Path dir;

    private final Map<String, TenantStore> tenants = new ConcurrentHashMap<>();
    private final Stores stores = new Stores() {
        @Override
        public TenantStore platform() {
            return tenants.computeIfAbsent("platform", t -> new FileTenantStore(dir.resolve("platform")));
        }

        @Override
        public TenantStore tenant(String tenantId) {
            return tenants.computeIfAbsent(tenantId, t -> new FileTenantStore(dir.resolve("tenants").resolve(t)));
        }
    };
    private final HashChainedAuditLog audit = new HashChainedAuditLog(stores);

    private static AuditEntry entry(int n) {
        return new AuditEntry("u-" + n, T0.plusSeconds(n), "car.unlock", "car/car-" + n, "EXECUTED");
    }

    @Test
    void appendedRecords_linkToEachOther_andVerifyAsIntact() {
        AuditRecord first = audit.append("acme", entry(0));
        AuditRecord second = audit.append("acme", entry(1));
        assertThat(first.index()).isZero();
        assertThat(first.prev()).isEqualTo("0".repeat(64));
        assertThat(second.prev()).isEqualTo(first.hash());
        assertThat(second.hash()).isEqualTo(AuditRecords.sha256(AuditRecords.canonical(second)));
        assertThat(audit.verify("acme")).isEqualTo(ChainVerification.intact(2));
    }

    @Test
    void anEmptyTrail_isIntact() {
        assertThat(audit.verify("acme")).isEqualTo(ChainVerification.intact(0));
    }

    @Test
    void aFlippedByte_isReportedAtTheRecordItIsIn() throws Exception {
        for (int i = 0; i < 5; i++) {
            audit.append("acme", entry(i));
        }
        Path file = dir.resolve("tenants/acme/streams/audit.jsonl");
        byte[] bytes = Files.readAllBytes(file);
        int thirdRecordStart = indexOfLine(bytes, 2);
        int actorOffset = indexOf(bytes, "u-2", thirdRecordStart);
        bytes[actorOffset + 2] ^= 0x01; // u-2 becomes u-3: still valid JSON, still canonical
        Files.write(file, bytes);

        ChainVerification result = audit.verify("acme");

        assertThat(result.isIntact()).isFalse();
        assertThat(result.firstBrokenIndex()).isEqualTo(2L);
        assertThat(result.reason()).contains("hash does not match");
        assertThat(result.records()).isEqualTo(5);
    }

    @Test
    void everyByteOfARecord_isCovered() throws Exception {
        audit.append("acme", entry(0));
        audit.append("acme", entry(1));
        Path file = dir.resolve("tenants/acme/streams/audit.jsonl");
        byte[] original = Files.readAllBytes(file);
        int second = indexOfLine(original, 1);
        for (int i = second; i < original.length - 1; i++) {
            byte[] flipped = original.clone();
            flipped[i] ^= 0x01;
            Files.write(file, flipped);
            assertThat(audit.verify("acme").firstBrokenIndex()).as("byte %d flipped", i).isEqualTo(1L);
        }
    }

    @Test
    void aRemovedRecord_breaksTheChainWhereItWas() throws Exception {
        for (int i = 0; i < 4; i++) {
            audit.append("acme", entry(i));
        }
        Path file = dir.resolve("tenants/acme/streams/audit.jsonl");
        List<String> lines = new ArrayList<>(Files.readAllLines(file));
        lines.remove(1);
        Files.write(file, lines);

        ChainVerification result = audit.verify("acme");

        assertThat(result.firstBrokenIndex()).isEqualTo(1L);
    }

    @Test
    void aSecondWriter_onTheSameStore_chainsOnFromTheStoredEnd() {
        HashChainedAuditLog otherReplica = new HashChainedAuditLog(stores);
        audit.append("acme", entry(0));
        otherReplica.append("acme", entry(1));
        audit.append("acme", entry(2));
        otherReplica.append("acme", entry(3));
        assertThat(audit.verify("acme")).isEqualTo(ChainVerification.intact(4));
        assertThat(audit.recent("acme", 10)).extracting(AuditRecord::actor).containsExactly("u-0", "u-1", "u-2", "u-3");
    }

    @Test
    void twoBusyReplicas_appendingAtOnce_loseNoRecord_andKeepOneChain() throws Exception {
        HashChainedAuditLog otherReplica = new HashChainedAuditLog(stores);
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(8);
        try {
            java.util.List<java.util.concurrent.Future<?>> writes = new java.util.ArrayList<>();
            for (int i = 0; i < 400; i++) {
                HashChainedAuditLog writer = i % 2 == 0 ? audit : otherReplica;
                AuditEntry e = entry(i);
                writes.add(pool.submit(() -> writer.append("acme", e)));
            }
            for (java.util.concurrent.Future<?> w : writes) {
                w.get(60, java.util.concurrent.TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(audit.verify("acme")).isEqualTo(ChainVerification.intact(400));
        assertThat(audit.recent("acme", 400)).extracting(AuditRecord::actor).doesNotHaveDuplicates().hasSize(400);
    }

    @Test
    void eachTenant_hasItsOwnTrail_inItsOwnStore() {
        audit.append("acme", entry(0));
        audit.append("globex", entry(1));
        audit.append("acme", entry(2));
        assertThat(audit.verify("acme")).isEqualTo(ChainVerification.intact(2));
        assertThat(audit.verify("globex")).isEqualTo(ChainVerification.intact(1));
        assertThat(dir.resolve("tenants/globex/streams/audit.jsonl")).exists();
        assertThat(dir.resolve("platform/streams/audit.jsonl")).doesNotExist();
    }

    @Test
    void aDamagedLastRecord_doesNotStopAuditing_butStaysReported() throws Exception {
        audit.append("acme", entry(0));
        audit.append("acme", entry(1));
        Path file = dir.resolve("tenants/acme/streams/audit.jsonl");
        String text = Files.readString(file).replace("u-1", "u-9");
        Files.writeString(file, text);
        HashChainedAuditLog restarted = new HashChainedAuditLog(stores);

        restarted.append("acme", entry(2));

        ChainVerification result = restarted.verify("acme");
        assertThat(result.firstBrokenIndex()).isEqualTo(1L);
        assertThat(result.records()).isEqualTo(3);
    }

    @Test
    void manyThreadsOnTwoReplicas_eachGetTheirOwnRecord_andTheChainHoldsEveryOneOnce() throws Exception {
        HashChainedAuditLog otherReplica = new HashChainedAuditLog(stores);
        int threads = 12;
        int each = 40;
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(threads);
        List<java.util.concurrent.Future<AuditRecord>> results = new ArrayList<>();
        try {
            for (int t = 0; t < threads; t++) {
                HashChainedAuditLog replica = t % 2 == 0 ? audit : otherReplica;
                for (int i = 0; i < each; i++) {
                    int n = t * each + i;
                    results.add(pool.submit(() -> replica.append("acme", entry(n))));
                }
            }
            java.util.Set<Long> indexes = new java.util.TreeSet<>();
            java.util.Set<String> actors = new java.util.HashSet<>();
            for (var f : results) {
                AuditRecord r = f.get();
                assertThat(indexes.add(r.index())).as("index %d handed out twice", r.index()).isTrue();
                actors.add(r.actor());
            }
            int total = threads * each;
            assertThat(indexes).hasSize(total).first().isEqualTo(0L);
            assertThat(indexes).last().isEqualTo((long) total - 1);
            assertThat(audit.verify("acme")).isEqualTo(ChainVerification.intact(total));
            assertThat(audit.recent("acme", total + 1)).hasSize(total).extracting(AuditRecord::actor)
                    .containsExactlyInAnyOrderElementsOf(actors);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void entriesThatArriveDuringAWrite_areWrittenTogether_inTheNextOne() throws Exception {
        java.util.concurrent.CountDownLatch firstWriteStarted = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        List<Integer> writes = java.util.Collections.synchronizedList(new ArrayList<>());
        TenantStore real = stores.tenant("acme");
        TenantStore slow = (TenantStore) java.lang.reflect.Proxy.newProxyInstance(TenantStore.class.getClassLoader(),
                new Class<?>[] {TenantStore.class}, (proxy, method, args) -> {
                    if (method.getName().equals("appendAllAt")) {
                        writes.add(((List<?>) args[1]).size());
                        if (writes.size() == 1) {
                            firstWriteStarted.countDown();
                            release.await();
                        }
                    }
                    try {
                        return method.invoke(real, args);
                    } catch (java.lang.reflect.InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
        HashChainedAuditLog log = new HashChainedAuditLog(new Stores() {
            @Override
            public TenantStore platform() {
                throw new UnsupportedOperationException();
            }

            @Override
            public TenantStore tenant(String tenantId) {
                return slow;
            }
        });
        Thread first = new Thread(() -> log.append("acme", entry(0)));
        first.start();
        firstWriteStarted.await();
        List<Thread> later = new ArrayList<>();
        for (int i = 1; i <= 10; i++) {
            int n = i;
            Thread t = new Thread(() -> log.append("acme", entry(n)));
            later.add(t);
            t.start();
        }
        for (Thread t : later) {
            while (t.getState() != Thread.State.BLOCKED) {
                Thread.sleep(5); // waiting for the trail the first write holds, its entry queued
            }
        }
        release.countDown();
        first.join();
        for (Thread t : later) {
            t.join();
        }
        assertThat(writes).containsExactly(1, 10);
        assertThat(log.verify("acme")).isEqualTo(ChainVerification.intact(11));
    }

    @Test
    void aFailedWrite_failsEveryCallerInIt_storesNothing_andTheNextAppendChainsOn() {
        TenantStore real = stores.tenant("acme");
        boolean[] failNext = {false};
        TenantStore flaky = (TenantStore) java.lang.reflect.Proxy.newProxyInstance(TenantStore.class.getClassLoader(),
                new Class<?>[] {TenantStore.class}, (proxy, method, args) -> {
                    if (method.getName().equals("appendAllAt") && failNext[0]) {
                        failNext[0] = false;
                        throw new io.latchkey.cloud.store.StoreException("storage unavailable");
                    }
                    try {
                        return method.invoke(real, args);
                    } catch (java.lang.reflect.InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
        HashChainedAuditLog log = new HashChainedAuditLog(new Stores() {
            @Override
            public TenantStore platform() {
                throw new UnsupportedOperationException();
            }

            @Override
            public TenantStore tenant(String tenantId) {
                return flaky;
            }
        });
        log.append("acme", entry(0));
        failNext[0] = true;
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> log.append("acme", entry(1)))
                .isInstanceOf(io.latchkey.cloud.store.StoreException.class).hasMessageContaining("storage unavailable");
        AuditRecord next = log.append("acme", entry(2));
        assertThat(next.index()).isEqualTo(1L);
        assertThat(log.verify("acme")).isEqualTo(ChainVerification.intact(2));
        assertThat(log.recent("acme", 5)).extracting(AuditRecord::actor).containsExactly("u-0", "u-2");
    }

    private static int indexOfLine(byte[] bytes, int line) {
        int position = 0;
        for (int i = 0; i < line; i++) {
            position = indexOf(bytes, "\n", position) + 1;
        }
        return position;
    }

    private static int indexOf(byte[] bytes, String needle, int from) {
        byte[] n = needle.getBytes(StandardCharsets.UTF_8);
        outer:
        for (int i = from; i <= bytes.length - n.length; i++) {
            for (int j = 0; j < n.length; j++) {
                if (bytes[i + j] != n[j]) {
                    continue outer;
                }
            }
            return i;
        }
        throw new AssertionError(needle + " not found");
    }
}
