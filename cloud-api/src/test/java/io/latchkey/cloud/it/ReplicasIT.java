package io.latchkey.cloud.it;

import static io.latchkey.cloud.it.CloudApp.PASSWORD;
import static io.latchkey.cloud.it.CloudApp.expect;
import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jwt.SignedJWT;
import io.latchkey.cloud.store.azure.AzuriteServer;
import io.latchkey.cloud.telemetry.TelemetryStore;
import io.latchkey.protocol.telemetry.TelemetryRecord;
import java.nio.file.Path;
import java.security.PublicKey;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two backends in one JVM, each with its own data directory and embedded broker, sharing the Azure Blob store
 * (Azurite) and the stored secret store ({@code latchkey.secrets.type=store}): what one replica writes, the
 * other honours. A load balancer would send consecutive requests of one client to either; here each request
 * names its replica.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ReplicasIT {
    @TempDir
    static Path dirA;
    @TempDir
    static Path dirB;
    AzuriteServer azurite;
    CloudApp a;
    CloudApp b;
    String acmeAdmin;

    @BeforeAll
    void start() {
        azurite = AzuriteServer.start("platform", "acme");
        Map<String, Object> props = new HashMap<>();
        props.put("latchkey.store.type", "azure");
        props.put("latchkey.store.azure.platform.connection-string", azurite.connectionString("platform"));
        props.put("latchkey.store.azure.tenants.acme.connection-string", azurite.connectionString("acme"));
        // behind a load balancer every replica answers under one public URL: the issuer of every token
        props.put("latchkey.public-url", "https://cars.example.test");
        props.put("latchkey.secrets.type", "store");
        byte[] kek = new byte[32];
        new java.security.SecureRandom().nextBytes(kek);
        props.put("latchkey.secrets.key-encryption-key", Base64.getEncoder().encodeToString(kek));
        a = CloudApp.start(dirA, props);
        b = CloudApp.start(dirB, props);
        acmeAdmin = a.tenantWithAdmin("acme");
    }

    @AfterAll
    void stop() {
        for (AutoCloseable c : new AutoCloseable[] {a, b, azurite}) {
            if (c != null) {
                try {
                    c.close();
                } catch (Exception ignored) {
                    // closing the others matters more
                }
            }
        }
    }

    @Test
    void aTokenFromOneReplica_isHonouredByTheOther_andTheyPublishOneKeySet() {
        expect(200, b.http.get("/t/acme/audit/verify", acmeAdmin));
        assertThat(expect(200, b.http.get("/t/acme/.well-known/jwks.json", null)).body())
                .isEqualTo(expect(200, a.http.get("/t/acme/.well-known/jwks.json", null)).body());
    }

    @Test
    void theLockout_countsFailedSignInsOnEveryReplica() {
        expect(201, a.http.postJson("/t/acme/users", null, Map.of("email", "lena@acme.test", "name", "Lena", "password", PASSWORD)));
        for (int i = 0; i < 6; i++) {
            CloudApp replica = i % 2 == 0 ? a : b;
            Http.Reply wrong = signIn(replica, "lena@acme.test", "not the password " + i);
            assertThat(wrong.status()).as(wrong.body()).isEqualTo(400);
        }
        // more than five in a row, spread over both replicas: locked on both, even with the right password
        assertThat(signIn(a, "lena@acme.test", PASSWORD).status()).isEqualTo(400);
        assertThat(signIn(b, "lena@acme.test", PASSWORD).status()).isEqualTo(400);
        expect(200, signIn(b, "admin@acme.test", PASSWORD));
    }

    @Test
    void aSigningKeyRotatedOnOneReplica_isHonouredByTheOther_atOnce() throws Exception {
        String oldKid = SignedJWT.parse(a.token("acme", "admin@acme.test")).getHeader().getKeyID();
        // b has read the keys before the rotation
        expect(200, b.http.get("/t/acme/audit/verify", a.token("acme", "admin@acme.test")));
        String newKid = expect(200, a.http.postJson("/t/acme/keys/rotate", acmeAdmin, Map.of("key", "token"))).text("kid");
        assertThat(newKid).isNotEqualTo(oldKid);
        String signedByNewKey = a.token("acme", "admin@acme.test");
        assertThat(SignedJWT.parse(signedByNewKey).getHeader().getKeyID()).isEqualTo(newKid);
        expect(200, b.http.get("/t/acme/audit/verify", signedByNewKey));
        // and b signs with it once its copy is older than SigningKeys.FRESH_FOR, or at once after it read the keys
        String fromB = b.token("acme", "admin@acme.test");
        assertThat(SignedJWT.parse(fromB).getHeader().getKeyID()).isEqualTo(newKid);
        assertThat(expect(200, a.http.get("/t/acme/audit/verify", acmeAdmin)).text("status")).isEqualTo("OK");
    }

    @Test
    void telemetryResentToTheOtherReplica_isStoredOnce() throws Exception {
        String operator = a.user("acme", acmeAdmin, "olga@acme.test", "operator");
        a.car("acme", operator, "car-1", "dev-001");
        Map<String, PublicKey> keys = TestDevice.keys(expect(200, a.http.get("/t/acme/.well-known/latchkey-device", null)).json());
        TelemetryStore storeOfA = a.context().getBean(TelemetryStore.class);
        try (TestDevice onA = new TestDevice(a, "acme", "dev-001", keys, a.clock())) {
            onA.publishTelemetry(record(1), record(2));
            waitFor(() -> storeOfA.recent("acme", "dev-001", 10).size() == 2);
        }
        // the car reconnects through the other replica's broker and resends 2 (its receipt was lost) with 3
        try (TestDevice onB = new TestDevice(b.mqttUrl(), a.device("acme", "dev-001"), keys, b.clock())) {
            onB.publishTelemetry(record(2), record(3));
            TelemetryStore storeOfB = b.context().getBean(TelemetryStore.class);
            waitFor(() -> storeOfB.recent("acme", "dev-001", 10).size() >= 3);
        }
        // and once more through the first, whose ledger still ends at 2
        try (TestDevice onA = new TestDevice(a.mqttUrl(), a.device("acme", "dev-001"), keys, a.clock())) {
            onA.publishTelemetry(record(3), record(4));
            waitFor(() -> storeOfA.recent("acme", "dev-001", 10).size() >= 4);
            Thread.sleep(500);
        }
        List<Long> seqs = new ArrayList<>();
        storeOfA.recent("acme", "dev-001", 10).forEach(r -> seqs.add(r.seq()));
        assertThat(seqs).containsExactly(1L, 2L, 3L, 4L);
    }

    @Test
    void aSecretStoreTypeThatIsNone_orAMissingKey_stopsTheStart(@TempDir Path other) {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> CloudApp.start(other, Map.of("latchkey.secrets.type", "key-vault")))
                .hasStackTraceContaining("latchkey.secrets.type must be file, store or keyvault, got 'key-vault'");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> CloudApp.start(other, Map.of("latchkey.secrets.type", "store")))
                .hasStackTraceContaining("latchkey.secrets.key-encryption-key is required");
    }

    private static Http.Reply signIn(CloudApp replica, String email, String password) {
        return replica.http.postForm("/t/acme/oauth/token", Map.of("grant_type", "password", "username", email, "password", password));
    }

    private static TelemetryRecord record(long seq) {
        return new TelemetryRecord(seq, Instant.now().minusSeconds(60).plusSeconds(seq), 52.5, 13.4, 30.0,
                1200.0, null, false, true, 3, null, null);
    }

    private static void waitFor(java.util.function.BooleanSupplier condition) throws InterruptedException {
        long until = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > until) {
                throw new AssertionError("not reached within 15 s");
            }
            Thread.sleep(50);
        }
    }
}
