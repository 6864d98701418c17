package io.latchkey.cloud.device;

import static org.assertj.core.api.Assertions.assertThat;

import io.latchkey.cloud.pki.FileRevocationRegistry;
import io.latchkey.cloud.pki.RevocationRegistry;
import io.latchkey.cloud.pki.RevocationRegistryContract;
import io.latchkey.cloud.pki.RevokedCertificate;
import io.latchkey.cloud.store.FileTenantStore;
import io.latchkey.cloud.store.Stores;
import io.latchkey.cloud.store.TenantStore;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StoredRevocationsTest extends RevocationRegistryContract {
    @TempDir
    Path dir;

    private final Map<String, TenantStore> tenants = new ConcurrentHashMap<>();
    private final Stores shared = new Stores() {
        @Override
        public TenantStore platform() {
            throw new UnsupportedOperationException("revocations are tenant data");
        }

        @Override
        public TenantStore tenant(String tenantId) {
            return tenants.computeIfAbsent(tenantId, id -> new FileTenantStore(dir.resolve("tenants").resolve(id)));
        }
    };

    @Override
    protected RevocationRegistry registry() {
        return replica(StoredRevocations.NOT_REVOKED_FOR);
    }

    private StoredRevocations replica(Duration notRevokedFor) {
        return new StoredRevocations(shared, CLOCK, null, notRevokedFor);
    }

    @Test
    void aRevocationOnOneReplica_isHonouredByAnother_thatHadSeenTheSerialValid_withinTheBound() throws Exception {
        StoredRevocations a = replica(Duration.ofMillis(300));
        StoredRevocations b = replica(Duration.ofMillis(300));
        assertThat(b.isRevoked("acme", SERIAL)).isFalse();

        assertThat(a.revoke("acme", SERIAL, "dev-001", "stolen")).isTrue();
        assertThat(a.isRevoked("acme", SERIAL)).as("the revoking replica knows at once").isTrue();
        Thread.sleep(400);
        assertThat(b.isRevoked("acme", SERIAL)).isTrue();
        assertThat(b.revoke("acme", SERIAL, "dev-001", "again")).as("one record across replicas").isFalse();
        assertThat(b.revoked("acme")).extracting(RevokedCertificate::reason).containsExactly("stolen");
    }

    @Test
    void manyDevicesChecked_costOneListingOfTheTenantsRevocationsPerBound_notAReadEach() throws Exception {
        Map<String, java.util.concurrent.atomic.AtomicInteger> calls = new ConcurrentHashMap<>();
        TenantStore file = new FileTenantStore(dir.resolve("counted"));
        TenantStore counted = (TenantStore) java.lang.reflect.Proxy.newProxyInstance(TenantStore.class.getClassLoader(),
                new Class<?>[] {TenantStore.class}, (proxy, method, args) -> {
                    calls.computeIfAbsent(method.getName(), m -> new java.util.concurrent.atomic.AtomicInteger()).incrementAndGet();
                    try {
                        return method.invoke(file, args);
                    } catch (java.lang.reflect.InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
        Stores stores = new Stores() {
            @Override
            public TenantStore platform() {
                throw new UnsupportedOperationException();
            }

            @Override
            public TenantStore tenant(String tenantId) {
                return counted;
            }
        };
        StoredRevocations a = new StoredRevocations(stores, CLOCK, null, Duration.ofMillis(500));
        StoredRevocations b = new StoredRevocations(stores, CLOCK, null, Duration.ofMillis(500));
        assertThat(a.revoke("acme", java.math.BigInteger.valueOf(7), "dev-007", "stolen")).isTrue();
        calls.clear();
        for (int i = 0; i < 100; i++) {
            assertThat(b.isRevoked("acme", java.math.BigInteger.valueOf(1000 + i))).isFalse();
        }
        assertThat(b.isRevoked("acme", java.math.BigInteger.valueOf(7))).isTrue();
        assertThat(calls.get("list")).as("one listing for 101 devices").hasValue(1);
        assertThat(calls).doesNotContainKey("read");

        assertThat(a.revoke("acme", java.math.BigInteger.valueOf(1050), "dev-050", "stolen")).isTrue();
        assertThat(b.isRevoked("acme", java.math.BigInteger.valueOf(1050))).as("within the bound: not yet").isFalse();
        Thread.sleep(600);
        assertThat(b.isRevoked("acme", java.math.BigInteger.valueOf(1050))).as("after the bound").isTrue();
        assertThat(b.isRevoked("acme", java.math.BigInteger.valueOf(1051))).isFalse();
        assertThat(calls.get("list")).hasValue(2);
    }

    @Test
    void theFileRegistryOfEarlierVersions_doesNotSeeAnotherProcesssRevocation_theStoreDoes() {
        // what this class replaces: each process read the file once and kept it
        FileRevocationRegistry fileA = new FileRevocationRegistry(dir.resolve("files"), CLOCK);
        FileRevocationRegistry fileB = new FileRevocationRegistry(dir.resolve("files"), CLOCK);
        assertThat(fileB.isRevoked("acme", SERIAL)).isFalse();
        fileA.revoke("acme", SERIAL, "dev-001", "stolen");
        assertThat(fileB.isRevoked("acme", SERIAL)).as("stale: the reason for StoredRevocations").isFalse();

        StoredRevocations a = replica(Duration.ZERO);
        StoredRevocations b = replica(Duration.ZERO);
        assertThat(b.isRevoked("acme", SERIAL)).isFalse();
        a.revoke("acme", SERIAL, "dev-001", "stolen");
        assertThat(b.isRevoked("acme", SERIAL)).isTrue();
    }

    @Test
    void revocationsInTheOldFile_areCopiedIntoTheStore_onFirstUse() {
        FileRevocationRegistry old = new FileRevocationRegistry(dir.resolve("old"), CLOCK);
        old.revoke("acme", SERIAL, "dev-001", "decommissioned");

        StoredRevocations imported = new StoredRevocations(shared, CLOCK, old, StoredRevocations.NOT_REVOKED_FOR);
        assertThat(imported.isRevoked("acme", SERIAL)).isTrue();
        // another replica without the old file sees them in the store
        assertThat(replica(Duration.ZERO).revoked("acme")).extracting(RevokedCertificate::deviceId).containsExactly("dev-001");
    }
}
