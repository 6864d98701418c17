package io.latchkey.cloud.tenant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.latchkey.cloud.secrets.SecretStore;
import io.latchkey.cloud.secrets.SecretStoreException;
import io.latchkey.cloud.store.FileTenantStore;
import io.latchkey.cloud.store.Stores;
import io.latchkey.cloud.store.TenantStore;
import io.micronaut.context.BeanProvider;
import io.micronaut.context.exceptions.ConfigurationException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StoredSecretStoreTest {
    @TempDir
    Path dir;

    private final Map<String, TenantStore> stores = new ConcurrentHashMap<>();
    private final String kek = newKey();

    @Test
    void twoReplicas_creatingOneSecretAtOnce_allUseTheOneValueStored() throws Exception {
        List<SecretStore> replicas = List.of(replica(kek), replica(kek));
        AtomicInteger generated = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<String>> values = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                SecretStore replica = replicas.get(i % 2);
                values.add(pool.submit(() -> replica.getOrCreate("acme", "device-ca", () -> "value-" + generated.incrementAndGet())));
            }
            String first = values.get(0).get(30, TimeUnit.SECONDS);
            for (Future<String> v : values) {
                assertThat(v.get(30, TimeUnit.SECONDS)).isEqualTo(first);
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(replicas.get(1).get("acme", "device-ca")).contains(replicas.get(0).get("acme", "device-ca").orElseThrow());
    }

    @Test
    void aSecretDeletedOnOneReplica_isGoneOnTheOther() {
        List<SecretStore> replicas = List.of(replica(kek), replica(kek));
        replicas.get(0).getOrCreate("acme", "pii-user-key.u-1", () -> "wrapped");

        assertThat(replicas.get(1).delete("acme", "pii-user-key.u-1")).isTrue();

        assertThat(replicas.get(0).get("acme", "pii-user-key.u-1")).isEmpty();
        assertThat(replicas.get(0).delete("acme", "pii-user-key.u-1")).isFalse();
    }

    @Test
    void updates_onEitherReplica_loseNoChange() throws Exception {
        List<SecretStore> replicas = List.of(replica(kek), replica(kek));
        replicas.get(0).getOrCreate("acme", "counter", () -> "0");
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                SecretStore replica = replicas.get(i % 2);
                done.add(pool.submit(() -> replica.update("acme", "counter", v -> Integer.toString(Integer.parseInt(v) + 1))));
            }
            for (Future<?> f : done) {
                f.get(30, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(replicas.get(1).get("acme", "counter")).contains("20");
    }

    @Test
    void secrets_lieSealedInTheScopesOwnStore_andOpenOnlyWithTheirKey_scopeAndName() throws Exception {
        SecretStore store = replica(kek);
        store.getOrCreate("acme", "export-link-key", () -> "very secret value");
        store.getOrCreate(SecretStore.PLATFORM, "platform-ca", () -> "platform value");
        Path doc = dir.resolve("acme/docs/secrets/export-link-key.json");
        String stored = Files.readString(doc);
        assertThat(stored).doesNotContain("very secret value");
        assertThat(dir.resolve("platform/docs/secrets/platform-ca.json")).isRegularFile();
        assertThat(dir.resolve("acme/docs/secrets/platform-ca.json")).doesNotExist();

        assertThatThrownBy(() -> replica(newKey()).get("acme", "export-link-key"))
                .isInstanceOf(SecretStoreException.class).hasMessageContaining("does not open");
        // the sealed value copied under another name, or into another tenant, does not open there
        Files.createDirectories(dir.resolve("acme/docs/secrets"));
        Files.writeString(dir.resolve("acme/docs/secrets/jwt-signing-keys.json"), stored);
        Files.createDirectories(dir.resolve("globex/docs/secrets"));
        Files.writeString(dir.resolve("globex/docs/secrets/export-link-key.json"), stored);
        assertThatThrownBy(() -> store.get("acme", "jwt-signing-keys")).isInstanceOf(SecretStoreException.class);
        assertThatThrownBy(() -> store.get("globex", "export-link-key")).isInstanceOf(SecretStoreException.class);
        assertThat(store.get("acme", "export-link-key")).contains("very secret value");
    }

    @Test
    void aStorageAccountsConnectionString_isNeverKeptInIt() {
        SecretStore store = replica(kek);
        assertThat(store.get("acme", "azure-storage-connection-string")).isEmpty();
        assertThatThrownBy(() -> store.getOrCreate("acme", "azure-storage-connection-string", () -> "x"))
                .isInstanceOf(SecretStoreException.class);
    }

    @Test
    void theKeyEncryptionKey_isRequired_andMustBe32Bytes() {
        assertThatThrownBy(() -> StoredSecretStore.parseKey(null)).isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("latchkey.secrets.key-encryption-key is required");
        assertThatThrownBy(() -> StoredSecretStore.parseKey("not base64 !")).isInstanceOf(ConfigurationException.class);
        assertThatThrownBy(() -> StoredSecretStore.parseKey(Base64.getEncoder().encodeToString(new byte[16])))
                .isInstanceOf(ConfigurationException.class).hasMessageContaining("32 bytes");
    }

    private SecretStore replica(String key) {
        Stores shared = new Stores() {
            @Override
            public TenantStore platform() {
                return tenant("platform");
            }

            @Override
            public TenantStore tenant(String tenantId) {
                return stores.computeIfAbsent(tenantId, id -> new FileTenantStore(dir.resolve(id)));
            }
        };
        return new StoredSecretStore(provider(shared), key, new SecureRandom());
    }

    private static BeanProvider<Stores> provider(Stores stores) {
        return new BeanProvider<>() {
            @Override
            public Stores get() {
                return stores;
            }
        };
    }

    private static String newKey() {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        return Base64.getEncoder().encodeToString(key);
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
