package io.latchkey.cloud.backup;

import static org.assertj.core.api.Assertions.assertThat;

import io.latchkey.cloud.store.FileTenantStore;
import io.latchkey.cloud.store.Stores;
import io.latchkey.cloud.store.StreamEnd;
import io.latchkey.cloud.store.StreamRead;
import io.latchkey.cloud.store.TenantStore;
import io.latchkey.cloud.store.Versioned;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The backup's rounds: documents that change while it copies, and a stream record still being written. */
class BackupTest {
    @TempDir
    Path dir;

    @Test
    void documentsChangingDuringARound_areReadAgain_untilARoundSeesNoChange() throws Exception {
        FileTenantStore platform = new FileTenantStore(dir.resolve("store/platform"));
        platform.create("cars", "car-1", bytes("{\"v\":0}"));
        platform.append("audit-like", bytes("{\"n\":1}"));
        ChangingStore changing = new ChangingStore(platform, 2);
        BackupManifest manifest = new Backup(Clock.systemUTC()).write(source(changing), dir.resolve("backup"));
        BackupManifest.Scope scope = manifest.scopes().get(0);
        assertThat(scope.rounds()).isEqualTo(3);
        assertThat(scope.consistent()).isTrue();
        assertThat(scope.changedDuringBackup()).isNull();
        assertThat(Files.readString(dir.resolve("backup/platform/docs/cars/car-1.json"))).isEqualTo("{\"v\":2}");
        Restore.verify(dir.resolve("backup"), null);
    }

    @Test
    void documentsThatNeverStopChanging_areKeptFromTheLastRound_andNamedInTheManifest() {
        FileTenantStore platform = new FileTenantStore(dir.resolve("store/platform"));
        platform.create("cars", "car-1", bytes("{\"v\":0}"));
        ChangingStore changing = new ChangingStore(platform, Integer.MAX_VALUE);
        BackupManifest manifest = new Backup(Clock.systemUTC()).write(source(changing), dir.resolve("backup"));
        BackupManifest.Scope scope = manifest.scopes().get(0);
        assertThat(scope.rounds()).isEqualTo(Backup.ROUNDS);
        assertThat(scope.consistent()).isFalse();
        assertThat(scope.changedDuringBackup()).containsExactly("cars/car-1");
    }

    @Test
    void aLastRecordStillBeingWritten_isLeftOut_andEveryCompleteOneIsKept() throws Exception {
        FileTenantStore platform = new FileTenantStore(dir.resolve("store/platform"));
        platform.appendAll("telemetry", List.of(bytes("{\"seq\":1}"), bytes("{\"seq\":2}")));
        Files.writeString(dir.resolve("store/platform/streams/telemetry.jsonl"), "{\"seq\":3,\"lat", java.nio.file.StandardOpenOption.APPEND);
        BackupManifest manifest = new Backup(Clock.systemUTC()).write(source(platform), dir.resolve("backup"));
        assertThat(manifest.scopes().get(0).records()).isEqualTo(2);
        assertThat(Files.readAllLines(dir.resolve("backup/platform/streams/telemetry.jsonl")))
                .containsExactly("{\"seq\":1}", "{\"seq\":2}");
    }

    @Test
    void aBackupThatDidNotFinish_leavesNothingAtItsPlace() {
        TenantStore failing = new ChangingStore(new FileTenantStore(dir.resolve("store/platform")), 0) {
            @Override
            public List<String> streams() {
                throw new IllegalStateException("storage unreachable");
            }
        };
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new Backup(Clock.systemUTC()).write(source(failing), dir.resolve("backup")))
                .hasMessageContaining("storage unreachable");
        assertThat(dir.resolve("backup")).doesNotExist();
        assertThat(dir.toFile().list()).containsExactly("store");
    }

    @Test
    void personalDataKeys_areNeverCopied_andABackupHoldingThemIsRefused() throws Exception {
        FileTenantStore platform = new FileTenantStore(dir.resolve("store/platform"));
        platform.create("secrets", "device-ca", bytes("{\"sealed\":\"a\"}"));
        platform.create(io.latchkey.cloud.secrets.SecretStore.PII_KEYS_COLLECTION, "pii-user-key.u-1", bytes("{\"sealed\":\"b\"}"));
        Path secrets = Files.createDirectories(dir.resolve("data/secrets"));
        for (String file : List.of("platform.enc", "acme.enc", "acme.pii.enc", "globex.pii.enc")) {
            Files.writeString(secrets.resolve(file), "sealed");
        }

        BackupManifest manifest = new Backup(Clock.systemUTC()).write(source(platform), dir.resolve("backup"));

        assertThat(manifest.files()).extracting(BackupManifest.FileEntry::path)
                .containsExactly("platform/docs/secrets/device-ca.json");
        assertThat(BackupSource.sealedSecrets(dir.resolve("data"), List.of("acme", "globex"), true))
                .containsOnlyKeys("platform", "acme");
        assertThat(Restore.holdsPersonalDataKeys("secrets/acme.pii.enc")).isTrue();
        assertThat(Restore.holdsPersonalDataKeys("tenants/acme/docs/pii-keys/pii-tenant-key.json")).isTrue();
        assertThat(Restore.holdsPersonalDataKeys("secrets/acme.enc")).isFalse();
        assertThat(Restore.holdsPersonalDataKeys("tenants/acme/docs/secrets/pii-tenant-key.json")).isFalse();
    }

    private static BackupSource source(TenantStore platform) {
        Stores stores = new Stores() {
            @Override
            public TenantStore platform() {
                return platform;
            }

            @Override
            public TenantStore tenant(String tenantId) {
                throw new AssertionError("no tenants here");
            }
        };
        return new BackupSource("file", stores, List.of(), Map.of());
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** Replaces {@code cars/car-1} whenever the backup lists the streams, for the first {@code rounds} rounds. */
    static class ChangingStore implements TenantStore {
        private final TenantStore delegate;
        private final int rounds;
        private final AtomicInteger changes = new AtomicInteger();

        ChangingStore(TenantStore delegate, int rounds) {
            this.delegate = delegate;
            this.rounds = rounds;
        }

        @Override
        public List<String> streams() {
            if (changes.get() < rounds) {
                int n = changes.incrementAndGet();
                Versioned<byte[]> current = delegate.read("cars", "car-1").orElseThrow();
                delegate.replace("cars", "car-1", bytes("{\"v\":" + n + "}"), current.version());
            }
            return delegate.streams();
        }

        @Override
        public Optional<Versioned<byte[]>> read(String collection, String id) {
            return delegate.read(collection, id);
        }

        @Override
        public String create(String collection, String id, byte[] content) {
            return delegate.create(collection, id, content);
        }

        @Override
        public String replace(String collection, String id, byte[] content, String expectedVersion) {
            return delegate.replace(collection, id, content, expectedVersion);
        }

        @Override
        public List<String> list(String collection) {
            return delegate.list(collection);
        }

        @Override
        public List<String> collections() {
            return delegate.collections();
        }

        @Override
        public void append(String stream, byte[] record) {
            delegate.append(stream, record);
        }

        @Override
        public void appendAll(String stream, List<byte[]> records) {
            delegate.appendAll(stream, records);
        }

        @Override
        public List<byte[]> tail(String stream, int limit) {
            return delegate.tail(stream, limit);
        }

        @Override
        public void forEach(String stream, Consumer<byte[]> consumer) {
            delegate.forEach(stream, consumer);
        }

        @Override
        public StreamEnd end(String stream) {
            return delegate.end(stream);
        }

        @Override
        public StreamEnd appendAt(String stream, byte[] record, String expectedPosition) {
            return delegate.appendAt(stream, record, expectedPosition);
        }

        @Override
        public StreamEnd appendAllAt(String stream, List<byte[]> records, String expectedPosition) {
            return delegate.appendAllAt(stream, records, expectedPosition);
        }

        @Override
        public String start() {
            return delegate.start();
        }

        @Override
        public StreamRead since(String stream, String position) {
            return delegate.since(stream, position);
        }
    }
}
