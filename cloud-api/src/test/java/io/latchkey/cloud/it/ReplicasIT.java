package io.latchkey.cloud.it;

import static io.latchkey.cloud.it.CloudApp.PASSWORD;
import static io.latchkey.cloud.it.CloudApp.expect;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jwt.SignedJWT;
import io.latchkey.cloud.device.KeySetPublisher;
import io.latchkey.cloud.mqtt.BackendMqttClient;
import io.latchkey.cloud.mqtt.MqttEndpoint;
import io.latchkey.cloud.store.azure.AzuriteServer;
import io.latchkey.cloud.telemetry.TelemetryStore;
import io.latchkey.cloud.tenant.CommandKeys;
import io.latchkey.protocol.Channel;
import io.latchkey.protocol.Json;
import io.latchkey.protocol.Keys;
import io.latchkey.protocol.Topic;
import io.latchkey.protocol.command.Command;
import io.latchkey.protocol.command.CommandRejectedException;
import io.latchkey.protocol.command.CommandSigner;
import io.latchkey.protocol.command.CommandType;
import io.latchkey.protocol.command.SignedCommand;
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
    /** The settings both replicas share (store, secrets, public URL). */
    final Map<String, Object> shared = new HashMap<>();

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
        shared.putAll(props);
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

    /**
     * A command-key rotation made through replica a, while replica c (sharing a's broker, as replicas share one broker;
     * b has its own embedded one) still holds the keys it read before: c goes on signing with the key rotated out for
     * at most {@link CommandKeys#FRESH_FOR}, and the car, which follows the tenant's key sets, keeps trusting that key
     * until {@link CommandKeys#RETIRED_FOR} is over, so none of those commands and receipts is refused; then c signs with
     * the new key, and once the retired key's time is over the sweep publishes a set without it and the car refuses it.
     */
    @Test
    void aCommandKeyRotatedOnOneReplica_signsOnTheOtherWithinTheBound_andTheCarTrustsEveryKeyInUse(@TempDir Path dirC)
            throws Exception {
        Map<String, Object> props = new HashMap<>(shared);
        props.put("latchkey.mqtt.embedded", "false");
        props.put("latchkey.mqtt.url", a.context().getBean(MqttEndpoint.class).backendUrl());
        props.put("latchkey.mqtt.client-id", "latchkey-cloud-c");
        try (CloudApp c = CloudApp.start(dirC, props)) {
            String operator = a.user("acme", acmeAdmin, "rota@acme.test", "operator");
            a.car("acme", operator, "car-rot", "dev-rot");
            Map<String, PublicKey> pinned = TestDevice.keys(expect(200, a.http.get("/t/acme/.well-known/latchkey-device", null)).json());
            Map<String, PublicKey> keySetKeys = new HashMap<>();
            a.context().getBean(KeySetPublisher.class).pinned("acme")
                    .forEach(k -> keySetKeys.put(k.kid(), Keys.decodeCommandPublicKey(k.publicKey())));
            MutableClock clockOfC = c.clock();
            try (TestDevice car = new TestDevice(a, "acme", "dev-rot", pinned, clockOfC).followKeySets(keySetKeys)) {
                waitFor(() -> car.keySetSerial() > 0); // the set published when it was provisioned, retained
                long before = car.keySetSerial();
                String oldKid = command(c, operator, "UNLOCK", car); // c has read the keys: they sign for FRESH_FOR
                CommandSigner retiredSigner = c.context().getBean(CommandKeys.class).signer("acme");
                assertThat(retiredSigner.sign(new Command("probe", "acme", "dev-rot", CommandType.LOCK, Instant.now(),
                        Instant.now().plusSeconds(5), "test")).keyId()).isEqualTo(oldKid);

                String newKid = expect(200, a.http.postJson("/t/acme/keys/rotate", acmeAdmin, Map.of("key", "command"))).text("kid");
                assertThat(newKid).isNotEqualTo(oldKid).isIn(pinned.keySet());
                waitFor(() -> car.keySetSerial() == before + 1);
                assertThat(car.trustedCommandKeys()).contains(oldKid, newKid).hasSize(3);

                // a signs with the new key at once; c, within FRESH_FOR of its read, still with the old one: both verify
                assertThat(command(a, operator, "LOCK", car)).isEqualTo(newKid);
                assertThat(command(c, operator, "UNLOCK", car)).isEqualTo(oldKid);
                // so do the receipts either replica signs (the two share the telemetry: one shared subscription)
                for (long seq = 1; seq <= 6; seq++) {
                    car.publishTelemetry(record(seq));
                }
                waitFor(() -> car.receipts().size() + car.unverifiedReceipts() >= 6);
                assertThat(car.unverifiedReceipts()).isZero();

                // once its copy is older than FRESH_FOR, c reads the keys again and signs with the new key
                clockOfC.advance(CommandKeys.FRESH_FOR.plusSeconds(1));
                assertThat(command(c, operator, "LOCK", car)).isEqualTo(newKid);
                JsonNode discovery = expect(200, c.http.get("/t/acme/.well-known/latchkey-device", null)).json();
                assertThat(discovery.path("commandKeys").get(0).path("kid").asText()).isEqualTo(newKid);

                // within RETIRED_FOR the sweep leaves the set alone; after it, one replica makes a set without the old key
                assertThat(c.context().getBean(KeySetPublisher.class).retireKeys()).isEmpty();
                clockOfC.advance(CommandKeys.RETIRED_FOR);
                assertThat(c.context().getBean(KeySetPublisher.class).retireKeys()).containsExactly("acme");
                assertThat(c.context().getBean(KeySetPublisher.class).retireKeys()).as("one new set, not one per pass").isEmpty();
                waitFor(() -> car.keySetSerial() == before + 2);
                assertThat(car.trustedCommandKeys()).doesNotContain(oldKid).contains(newKid).hasSize(2);
                assertThat(expect(200, a.http.get("/t/acme/audit?action=keys.retire", acmeAdmin)).body()).contains("keys/command");

                // what the old key signs now is refused; the new key's commands are carried out
                Instant now = clockOfC.instant();
                SignedCommand late = retiredSigner.sign(new Command("late-old-key", "acme", "dev-rot", CommandType.UNLOCK, now,
                        now.plusSeconds(10), "test"));
                c.context().getBean(BackendMqttClient.class).publish(Topic.of("acme", "dev-rot", Channel.CMD), Json.write(late),
                        Duration.ofSeconds(10)).get(10, java.util.concurrent.TimeUnit.SECONDS);
                waitFor(() -> car.refusedCommands().containsKey("late-old-key"));
                assertThat(car.refusedCommands()).containsExactly(Map.entry("late-old-key", CommandRejectedException.Reason.UNKNOWN_KEY));
                assertThat(command(c, operator, "UNLOCK", car)).isEqualTo(newKid);
                assertThat(car.refusedKeySets()).isEmpty();
            }
        }
    }

    /** Sends a command through {@code replica}; it must be carried out. Returns the key id that signed it. */
    private static String command(CloudApp replica, String operator, String type, TestDevice car) throws Exception {
        int received = car.receivedCommands().size();
        JsonNode answer = expect(200, replica.http.postJson("/t/acme/cars/car-rot/commands", operator, Map.of("type", type))).json();
        assertThat(answer.path("outcome").asText()).as(answer.toString()).isEqualTo("EXECUTED");
        List<byte[]> commands = car.receivedCommands();
        assertThat(commands).hasSizeGreaterThan(received);
        return Json.read(commands.get(commands.size() - 1), SignedCommand.class).keyId();
    }

    /**
     * On a shared store a command's id is not read before its PENDING record is created: the conditional create is the
     * existence check. A retry of the id through the other replica is answered from the record and not sent again; the
     * id used for another command is a conflict; an unknown car is 404; and a lock made on one replica stops the
     * account's commands on the other at once (nothing of who may command a car is cached).
     */
    @Test
    void aCommandIdRetriedOnTheOtherReplica_isAnsweredFromItsRecord_andTheCarActsOnce() throws Exception {
        String operator = a.user("acme", acmeAdmin, "otto@acme.test", "operator");
        a.car("acme", operator, "car-retry", "dev-retry");
        Map<String, PublicKey> keys = TestDevice.keys(expect(200, a.http.get("/t/acme/.well-known/latchkey-device", null)).json());
        try (TestDevice car = new TestDevice(a, "acme", "dev-retry", keys, a.clock())) {
            JsonNode first = expect(200, a.http.postJson("/t/acme/cars/car-retry/commands", operator,
                    Map.of("type", "UNLOCK", "id", "retry-on-b"))).json();
            assertThat(first.path("outcome").asText()).as(first.toString()).isEqualTo("EXECUTED");
            assertThat(car.receivedCommands()).hasSize(1);

            JsonNode again = expect(200, b.http.postJson("/t/acme/cars/car-retry/commands", operator,
                    Map.of("type", "UNLOCK", "id", "retry-on-b"))).json();
            assertThat(again.path("outcome").asText()).isEqualTo("EXECUTED");
            assertThat(again.path("commandId").asText()).isEqualTo("retry-on-b");
            expect(409, b.http.postJson("/t/acme/cars/car-retry/commands", operator, Map.of("type", "LOCK", "id", "retry-on-b")));
            expect(404, b.http.postJson("/t/acme/cars/no-such-car/commands", operator, Map.of("type", "LOCK")));
            Thread.sleep(300);
            assertThat(car.receivedCommands()).as("the retry was answered from the record").hasSize(1);

            // the account locked for good through b: its token is refused by a at once
            String operatorId = expect(200, a.http.get("/t/acme/users/me", operator)).text("id");
            expect(204, b.http.postJson("/t/acme/users/" + operatorId + "/lock", acmeAdmin, Map.of()));
            expect(401, a.http.postJson("/t/acme/cars/car-retry/commands", operator, Map.of("type", "LOCK")));
            assertThat(car.receivedCommands()).hasSize(1);
        }
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
