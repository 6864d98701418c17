package io.latchkey.cloud.it;

import static io.latchkey.cloud.it.CloudApp.expect;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5Client;
import com.hivemq.client.mqtt.mqtt5.Mqtt5ClientBuilder;
import io.latchkey.cloud.device.DeviceAuthorities;
import io.latchkey.cloud.pki.Pem;
import io.latchkey.cloud.pki.TlsIdentity;
import io.latchkey.protocol.Json;
import io.latchkey.protocol.LockState;
import io.latchkey.protocol.command.CommandAck;
import io.latchkey.protocol.command.CommandOutcome;
import io.micrometer.core.instrument.MeterRegistry;
import java.net.URI;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 11's probe: a process on the broker host answers for a car that is offline. Whatever listener and
 * identity it uses, the unlock is not reported executed, the audit trail has no EXECUTED, and the refusal
 * is counted. On the plain listener nobody can claim a device's client id without its key, unauthenticated
 * clients get no {@code lk/} topic, and no session is taken over across listeners.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ForgedAckIT {
    @TempDir
    static Path dataDir;
    CloudApp app;
    String tenantAdmin;
    String operator;
    Map<String, java.security.PublicKey> commandKeys;

    @BeforeAll
    void start() {
        app = CloudApp.start(dataDir, Map.of("latchkey.commands.timeout", "2s"));
        tenantAdmin = app.tenantWithAdmin("acme");
        operator = app.user("acme", tenantAdmin, "olga@acme.test", "operator");
        app.car("acme", operator, "car-1", "dev-001");
        app.car("acme", operator, "car-2", "dev-002");
        app.car("acme", operator, "car-3", "dev-003");
        commandKeys = TestDevice.keys(expect(200, app.http.get("/t/acme/.well-known/latchkey-device", null)).json());
    }

    @AfterAll
    void stop() {
        app.close();
    }

    @Test
    void forgedAck_fromAServiceIdentityOnMutualTls_concludesNothing() throws Exception {
        // whoever controls the broker (here: a certificate of the platform CA, allowed every lk/ topic)
        app.device("acme", "dev-001"); // enrolled, offline
        var service = app.context().getBean(DeviceAuthorities.class).platform().issueService("probe", Duration.ofHours(1));
        Mqtt5AsyncClient probe = mtls(service.tls(), "probe");
        probe.connect().get(15, TimeUnit.SECONDS);
        try {
            assertForgeryFails(probe, "dev-001", id -> Json.write(ack(id, "acme", "dev-001")), "MALFORMED");
            // even a well-formed signed envelope by another key does not pass
            DeviceCredentials impostor = new DeviceCredentials("acme", "dev-001", DeviceCredentials.newKey(), null);
            assertForgeryFails(probe, "dev-001", id -> impostor.ackSigner().signToWire(ack(id, "acme", "dev-001")), "BAD_SIGNATURE");
        } finally {
            probe.disconnect().get(5, TimeUnit.SECONDS);
        }
    }

    @Test
    void ackOfAnotherDevice_signedWithItsOwnCertificateOnMutualTls_concludesNothing() throws Exception {
        DeviceCredentials other = app.device("acme", "dev-003");
        TlsIdentity identity = new TlsIdentity(other.key().getPrivate(), List.of(Pem.certificate(other.certificatePem())));
        Mqtt5AsyncClient probe = mtls(identity, "acme:dev-003");
        await().atMost(Duration.ofSeconds(25)).ignoreExceptions().until(() -> {
            probe.connect().get(15, TimeUnit.SECONDS);
            return true;
        });
        try {
            // on its own topic, the signature verifies, but the command was sent to dev-001
            CompletableFuture<Http.Reply> unlock = unlock("car-1");
            String id = awaitPendingCommandId("car-1");
            long before = refused("WRONG_COMMAND");
            probe.publishWith().topic("lk/acme/dev-003/ack").qos(MqttQos.AT_LEAST_ONCE)
                    .payload(other.ackSigner().signToWire(ack(id, "acme", "dev-003"))).send().get(10, TimeUnit.SECONDS);
            assertThat(unlock.get(20, TimeUnit.SECONDS).status()).isEqualTo(504);
            assertThat(refused("WRONG_COMMAND")).isGreaterThan(before);
            assertNoExecutedAudit(id);
        } finally {
            probe.disconnect().get(5, TimeUnit.SECONDS);
        }
    }

    @Test
    void plainListener_unauthenticatedProbe_cannotPublishOrSubscribeUnderLk() throws Exception {
        Mqtt5AsyncClient probe = plain("probe").buildAsync();
        probe.connect().get(10, TimeUnit.SECONDS);
        try {
            assertThatThrownBy(() -> probe.subscribeWith().topicFilter("lk/#").send().get(10, TimeUnit.SECONDS))
                    .hasRootCauseInstanceOf(com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5SubAckException.class);
            assertThatThrownBy(() -> probe.subscribeWith().topicFilter("#").send().get(10, TimeUnit.SECONDS))
                    .hasRootCauseInstanceOf(com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5SubAckException.class);
            CompletableFuture<Http.Reply> unlock = unlock("car-1");
            String id = awaitPendingCommandId("car-1");
            assertThatThrownBy(() -> probe.publishWith().topic("lk/acme/dev-001/ack").qos(MqttQos.AT_LEAST_ONCE)
                    .payload(Json.write(ack(id, "acme", "dev-001"))).send().get(10, TimeUnit.SECONDS))
                    .hasRootCauseInstanceOf(com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5PubAckException.class);
            assertThat(unlock.get(20, TimeUnit.SECONDS).status()).isEqualTo(504);
            assertNoExecutedAudit(id);
        } finally {
            if (probe.getState().isConnected()) {
                probe.disconnect().get(5, TimeUnit.SECONDS);
            }
        }
    }

    @Test
    void plainListener_claimingADeviceId_withoutOrWithAWrongToken_isRefused_andTheRealDeviceStaysConnected() throws Exception {
        try (TestDevice real = new TestDevice(app, "acme", "dev-002", commandKeys, Clock.systemUTC())) {
            assertThatThrownBy(() -> plain("acme:dev-002").buildAsync().connect().get(10, TimeUnit.SECONDS))
                    .hasRootCauseInstanceOf(com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5ConnAckException.class);
            DeviceCredentials impostor = new DeviceCredentials("acme", "dev-002", DeviceCredentials.newKey(), null);
            assertThatThrownBy(() -> plain("acme:dev-002").buildAsync().connectWith().simpleAuth().username("acme:dev-002")
                    .password(impostor.connectPassword(Instant.now())).applySimpleAuth().send().get(10, TimeUnit.SECONDS))
                    .hasRootCauseInstanceOf(com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5ConnAckException.class);
            // an old token of the real key: expired
            DeviceCredentials genuine = app.device("acme", "dev-002");
            assertThatThrownBy(() -> plain("acme:dev-002").buildAsync().connectWith().simpleAuth().username("acme:dev-002")
                    .password(genuine.connectPassword(Instant.now().minus(Duration.ofMinutes(10)))).applySimpleAuth().send()
                    .get(10, TimeUnit.SECONDS))
                    .hasRootCauseInstanceOf(com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5ConnAckException.class);
            Thread.sleep(300);
            assertThat(real.isConnected()).isTrue();
            JsonNode answer = expect(200, unlock("car-2").get(20, TimeUnit.SECONDS)).json();
            assertThat(answer.path("outcome").asText()).isEqualTo("EXECUTED");
        }
    }

    @Test
    void plainListener_aConnectTokenWorksOnce() throws Exception {
        byte[] once = app.device("acme", "dev-003").connectPassword(Instant.now());
        Mqtt5AsyncClient first = plain("acme:dev-003").buildAsync();
        first.connectWith().simpleAuth().username("acme:dev-003").password(once).applySimpleAuth().send().get(10, TimeUnit.SECONDS);
        first.disconnect().get(5, TimeUnit.SECONDS);
        assertThatThrownBy(() -> plain("acme:dev-003").buildAsync().connectWith().simpleAuth().username("acme:dev-003")
                .password(once).applySimpleAuth().send().get(10, TimeUnit.SECONDS))
                .hasRootCauseInstanceOf(com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5ConnAckException.class);
    }

    @Test
    void aSessionLiveOnThePlainListener_isNotTakenOverOnMutualTls() throws Exception {
        DeviceCredentials genuine = app.device("acme", "dev-002");
        try (TestDevice real = new TestDevice(app, "acme", "dev-002", commandKeys, Clock.systemUTC())) {
            TlsIdentity identity = new TlsIdentity(genuine.key().getPrivate(), List.of(Pem.certificate(genuine.certificatePem())));
            // the broker re-reads its trust store every 10 s: until it knows acme's CA the handshake fails instead
            await().atMost(Duration.ofSeconds(25)).until(() -> {
                try {
                    mtls(identity, "acme:dev-002").connect().get(15, TimeUnit.SECONDS);
                    throw new AssertionError("the mutual-TLS connection took over the plain one");
                } catch (java.util.concurrent.ExecutionException e) {
                    Throwable root = e;
                    while (root.getCause() != null) {
                        root = root.getCause();
                    }
                    return root instanceof com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5ConnAckException;
                }
            });
            Thread.sleep(300);
            assertThat(real.isConnected()).isTrue();
        }
    }

    private void assertForgeryFails(Mqtt5AsyncClient probe, String deviceId, java.util.function.Function<String, byte[]> forge,
                                    String reason) throws Exception {
        CompletableFuture<Http.Reply> unlock = unlock("car-1");
        String id = awaitPendingCommandId("car-1");
        long before = refused(reason);
        probe.publishWith().topic("lk/acme/" + deviceId + "/ack").qos(MqttQos.AT_LEAST_ONCE).payload(forge.apply(id)).send()
                .get(10, TimeUnit.SECONDS);
        assertThat(unlock.get(20, TimeUnit.SECONDS).status()).isEqualTo(504);
        await().atMost(Duration.ofSeconds(5)).until(() -> refused(reason) > before);
        assertNoExecutedAudit(id);
    }

    private String lastId;

    /** Sends an UNLOCK with a fresh id (kept in {@link #lastId}) and waits a moment so that it is pending. */
    private CompletableFuture<Http.Reply> unlock(String carId) throws InterruptedException {
        String id = "probe-" + java.util.UUID.randomUUID();
        lastId = id;
        CompletableFuture<Http.Reply> reply = CompletableFuture.supplyAsync(() -> app.http.postJson("/t/acme/cars/" + carId + "/commands",
                operator, Map.of("type", "UNLOCK", "id", id)));
        Thread.sleep(300);
        return reply;
    }

    private String awaitPendingCommandId(String carId) {
        return lastId;
    }

    private void assertNoExecutedAudit(String commandId) throws Exception {
        Thread.sleep(500);
        JsonNode trail = expect(200, app.http.get("/t/acme/audit?limit=1000", tenantAdmin)).json();
        assertThat(trail.toString()).contains("command/" + commandId);
        for (JsonNode record : trail.findParents("subject")) {
            if (record.path("subject").asText().contains("command/" + commandId)) {
                assertThat(record.path("outcome").asText()).doesNotContain("EXECUTED");
            }
        }
    }

    private long refused(String reason) {
        var counter = app.context().getBean(MeterRegistry.class).find("latchkey.ack.refused").tag("reason", reason).counter();
        return counter == null ? 0 : (long) counter.count();
    }

    private static CommandAck ack(String id, String tenant, String deviceId) {
        return new CommandAck(id, tenant, deviceId, CommandOutcome.EXECUTED, null, LockState.UNLOCKED, false, false, Instant.now());
    }

    private Mqtt5ClientBuilder plain(String clientId) {
        URI url = URI.create(app.mqttUrl());
        return Mqtt5Client.builder().identifier(clientId).serverHost(url.getHost()).serverPort(url.getPort());
    }

    private Mqtt5AsyncClient mtls(TlsIdentity identity, String clientId) throws Exception {
        JsonNode discovery = expect(200, app.http.get("/t/acme/.well-known/latchkey-device", null)).json();
        URI url = URI.create(discovery.path("mqttTlsUrl").asText());
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("platform-ca", app.context().getBean(DeviceAuthorities.class).platform().certificate());
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        return Mqtt5Client.builder().identifier(clientId).serverHost(url.getHost()).serverPort(url.getPort())
                .sslConfig().keyManagerFactory(identity.keyManagerFactory()).trustManagerFactory(tmf).applySslConfig()
                .buildAsync();
    }
}
