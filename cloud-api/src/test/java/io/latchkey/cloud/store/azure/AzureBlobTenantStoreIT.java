package io.latchkey.cloud.store.azure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.blob.models.BlobItem;
import io.latchkey.cloud.store.TenantStore;
import io.latchkey.cloud.store.TenantStoreContract;
import io.latchkey.cloud.store.VersionConflictException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The store contract on a real blob service (Azurite). Segments are tiny (64 bytes) so that every stream
 * test also crosses append-blob boundaries.
 */
class AzureBlobTenantStoreIT extends TenantStoreContract {
    private static final AtomicInteger CONTAINERS = new AtomicInteger();
    private static AzuriteServer azurite;
    private static AzureBlobClients clients;
    private BlobContainerClient container;

    @BeforeAll
    static void startAzurite() {
        azurite = AzuriteServer.start("acme");
        clients = new AzureBlobClients();
    }

    @AfterAll
    static void stopAzurite() {
        if (azurite != null) {
            azurite.close();
        }
    }

    @Override
    protected TenantStore newStore() {
        container = clients.container(azurite.connectionString("acme"), "contract-" + CONTAINERS.incrementAndGet());
        return new AzureBlobTenantStore(container, 64, Duration.ofSeconds(30));
    }

    @Test
    void documentVersions_areTheBlobsETags_andAStaleETagIsAConflict() {
        String v1 = store.create("cars", "car-1", utf8("{\"n\":1}"));
        assertThat(v1).isEqualTo(container.getBlobClient("docs/cars/car-1.json").getProperties().getETag());
        container.getBlobClient("docs/cars/car-1.json").getBlockBlobClient()
                .upload(com.azure.core.util.BinaryData.fromString("{\"n\":\"changed behind our back\"}"), true);
        assertThatThrownBy(() -> store.replace("cars", "car-1", utf8("{\"n\":2}"), v1))
                .isInstanceOf(VersionConflictException.class);
    }

    @Test
    void streams_areAppendBlobs_rolledIntoSealedSegments() {
        for (int i = 0; i < 12; i++) {
            store.append("audit", utf8("{\"i\":" + i + ",\"pad\":\"xxxxxxxxxx\"}"));
        }
        List<String> blobs = new ArrayList<>();
        for (BlobItem item : container.listBlobs()) {
            if (item.getName().startsWith("streams/audit/")) {
                blobs.add(item.getName() + " " + item.getProperties().getBlobType() + " sealed=" + item.getProperties().isSealed());
            }
        }
        assertThat(blobs).hasSizeGreaterThan(3);
        assertThat(blobs.get(0)).isEqualTo("streams/audit/0000000000.jsonl AppendBlob sealed=true");
        assertThat(blobs).allMatch(b -> b.contains(" AppendBlob "));
        List<String> records = new ArrayList<>();
        store.forEach("audit", r -> records.add(new String(r, StandardCharsets.UTF_8)));
        assertThat(records).hasSize(12).first().asString().startsWith("{\"i\":0,");
        assertThat(new String(store.tail("audit", 1).get(0), StandardCharsets.UTF_8)).startsWith("{\"i\":11,");
    }

    @Test
    void aBatchLargerThanASegment_isSplitIntoBlocksOfWholeLines_acrossSealedSegments() {
        List<byte[]> batch = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            batch.add(utf8("{\"i\":" + i + ",\"pad\":\"xxxxxxxxxx\"}"));
        }
        store.appendAll("telemetry-dev-1", batch);
        List<String> segments = new ArrayList<>();
        for (BlobItem item : container.listBlobs()) {
            if (item.getName().startsWith("streams/telemetry-dev-1/")) {
                segments.add(item.getName());
                byte[] content = container.getBlobClient(item.getName()).downloadContent().toBytes();
                assertThat(content.length).isLessThanOrEqualTo(64);
                assertThat(content[content.length - 1]).as("a segment ends with a whole line").isEqualTo((byte) '\n');
            }
        }
        assertThat(segments).hasSizeGreaterThan(3);
        List<String> records = new ArrayList<>();
        store.forEach("telemetry-dev-1", r -> records.add(new String(r, StandardCharsets.UTF_8)));
        assertThat(records).hasSize(20);
        for (int i = 0; i < 20; i++) {
            assertThat(records.get(i)).startsWith("{\"i\":" + i + ",");
        }
    }

    @Test
    void aBatchHoldingARecordLargerThanASegment_isRefused_andWritesNothing() {
        byte[] tooLarge = utf8("{\"pad\":\"" + "x".repeat(64) + "\"}");
        assertThatThrownBy(() -> store.appendAll("log", List.of(utf8("{}"), tooLarge)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(store.streams()).isEmpty();
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /**
     * Two replicas, each with its own blob client and its own telemetry ledger, ingest one device whose every
     * batch reaches both (a resend after a lost receipt): every seq is stored once. Fails with one ledger per
     * process and unconditional appends.
     */
    @Test
    void twoReplicas_storeEachTelemetrySeqOnce() throws Exception {
        String name = "replicas-" + CONTAINERS.incrementAndGet();
        List<io.latchkey.cloud.telemetry.TelemetryStore> replicas = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            TenantStore own = new AzureBlobTenantStore(new AzureBlobClients().container(azurite.connectionString("acme"), name),
                    4 * 1024 * 1024, Duration.ofSeconds(30));
            replicas.add(new io.latchkey.cloud.telemetry.TelemetryStore(new io.latchkey.cloud.store.Stores() {
                @Override
                public TenantStore platform() {
                    throw new UnsupportedOperationException();
                }

                @Override
                public TenantStore tenant(String tenantId) {
                    return own;
                }
            }));
        }
        int batches = 25;
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(2);
        try {
            List<java.util.concurrent.Future<?>> done = new ArrayList<>();
            for (io.latchkey.cloud.telemetry.TelemetryStore replica : replicas) {
                done.add(pool.submit(() -> {
                    for (int b = 0; b < batches; b++) {
                        replica.appendNew("acme", "dev-1", List.of(record(2L * b + 1), record(2L * b + 2)));
                    }
                    return null;
                }));
            }
            for (java.util.concurrent.Future<?> f : done) {
                f.get(120, java.util.concurrent.TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        List<Long> seqs = replicas.get(0).recent("acme", "dev-1", 1000).stream()
                .map(io.latchkey.protocol.telemetry.TelemetryRecord::seq).toList();
        assertThat(seqs).hasSize(2 * batches).doesNotHaveDuplicates();
    }

    private static io.latchkey.protocol.telemetry.TelemetryRecord record(long seq) {
        return new io.latchkey.protocol.telemetry.TelemetryRecord(seq, java.time.Instant.parse("2025-05-01T10:00:00Z").plusSeconds(seq),
                52.5, 13.4, 30.0, 1200.0, null, false, true, 3, null, null);
    }
}
