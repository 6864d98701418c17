package io.latchkey.simulator.interop;

import static io.latchkey.simulator.interop.Backend.expect;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5Client;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5PubAckException;
import io.latchkey.agent.Agent;
import io.latchkey.agent.config.AgentConfig;
import io.latchkey.agent.mqtt.MqttTls;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole install, for real: the backend with its embedded broker, an installer running the real
 * provisioning tool into a bundle directory, the real agent booting from that bundle over mutual TLS,
 * a borrower unlocking the car over HTTP; then decommissioning, and the broker's refusals.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ProvisioningEndToEndIT {
    static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    static Path temp;
    Backend backend;
    DeviceAgents agents = new DeviceAgents();
    String acmeAdmin;
    String operator;
    Installer ian;
    Installer gil;

    @BeforeAll
    void start() {
        backend = Backend.start(temp.resolve("cloud"));
        acmeAdmin = backend.tenant("acme");
        operator = backend.user("acme", acmeAdmin, "olga@acme.test", "operator");
        backend.user("acme", acmeAdmin, "ian@acme.test", "installer");
        String globexAdmin = backend.tenant("globex");
        backend.user("globex", globexAdmin, "gil@globex.test", "installer");
        backend.car("globex", backend.user("globex", globexAdmin, "gus@globex.test", "operator"), "car-9", "dev-001");
        ian = new Installer(temp.resolve("ian-config"));
        ian.login(backend, "acme", "ian@acme.test");
        gil = new Installer(temp.resolve("gil-config"));
        gil.login(backend, "globex", "gil@globex.test");
    }

    @AfterAll
    void stop() {
        agents.close();
        if (backend != null) {
            backend.close();
        }
    }

    @Test
    void provision_bootTheAgentOverMutualTls_unlock_thenDecommissionDropsItAndRefusesItsReturn() throws Exception {
        backend.car("acme", operator, "car-1", "dev-001");
        Path bundle = provision(ian, "car-1", "dev-001");
        assertThat(Files.readString(bundle.resolve("agent.properties")))
                .contains("mqtt.url=" + backend.mqttTlsUrl(), "mqtt.tls.certificate=device.crt", "mqtt.tls.ca=broker-ca.pem");

        assertThat(Files.readString(bundle.resolve("agent.properties"))).contains("keyset.keys.ks-1=", "keyset.keys.ks-2=");
        AgentConfig config = DeviceAgents.fromBundle(bundle);
        // where the car renews a certificate that expired while it was offline: this backend, read by the real agent
        assertThat(config.recoveryUrl()).isNotNull();
        assertThat(config.recoveryUrl().getPort()).isEqualTo(java.net.URI.create(backend.url()).getPort());
        assertThat(config.recoveryUrl().getScheme()).isEqualTo(java.net.URI.create(backend.url()).getScheme());
        Agent agent = agents.start(config);
        agent.firstConnection().get(WAIT.toSeconds(), TimeUnit.SECONDS);
        // the tenant's signed key set, retained on the device's keys topic since provisioning, verified with the pinned
        // key-set key and saved (docs/device-identity.md, "Key sets")
        await().atMost(WAIT).until(() -> Files.exists(config.dataDir().resolve("keyset.json")));
        assertThat(io.latchkey.agent.identity.KeySets.open(config).current().serial()).isPositive();
        assertThat(io.latchkey.agent.identity.KeySets.effective(config).commandKeys().keySet())
                .containsExactlyInAnyOrderElementsOf(config.commandKeys().keySet());

        String borrower = backend.user("acme", acmeAdmin, "bob@acme.test", "borrower");
        Instant now = Instant.now();
        expect(201, backend.post("/t/acme/bookings", borrower, Map.of("carId", "car-1",
                "start", now.minusSeconds(60).toString(), "end", now.plus(Duration.ofHours(1)).toString())));
        JsonNode unlock = expect(200, backend.post("/t/acme/cars/car-1/commands", borrower, Map.of("type", "UNLOCK"))).json();
        assertThat(unlock.path("outcome").asText()).isEqualTo("EXECUTED");
        assertThat(unlock.path("lockState").asText()).isEqualTo("UNLOCKED");

        ian.ok("decommission", "--device", "dev-001", "--reason", "replaced");

        await().atMost(WAIT).until(() -> !agent.isConnected());
        Thread.sleep(3000); // several reconnection attempts (200 ms .. 2 s apart), each refused
        assertThat(agent.isConnected()).isFalse();
        assertThat(tryConnect(bundle, "acme:dev-001")).isFalse();
        assertThat(backend.post("/t/acme/cars/car-1/commands", borrower, Map.of("type", "LOCK")).status()).isEqualTo(504);
    }

    @Test
    void selftest_onTheDevice_uploadsASignedReport_andTheCarShowsAsInstalled() {
        backend.car("acme", operator, "car-3", "dev-003");
        Path bundle = provision(ian, "car-3", "dev-003");

        int code = ian.run("selftest", "--bundle", bundle.toString(), "--simulated", "--gnss-timeout", "PT20S");

        assertThat(ian.out).as(ian.err).contains("Broker connection", "PASS");
        JsonNode installation = expect(200, backend.get("/t/acme/cars/car-3", operator)).json().path("installation");
        assertThat(installation.path("status").asText()).isEqualTo(code == 0 ? "VERIFIED" : "CHECKS_FAILED");
        assertThat(installation.path("deviceId").asText()).isEqualTo("dev-003");
    }

    @Test
    void aCertificateOfAnotherTenantsCa_isRefused_evenForTheSameDeviceId() throws Exception {
        Path globexBundle = provision(gil, "car-9", "dev-001");
        AgentConfig genuine = DeviceAgents.fromBundle(globexBundle);
        Agent own = agents.start(genuine);
        own.firstConnection().get(WAIT.toSeconds(), TimeUnit.SECONDS);
        own.close();

        Agent impostor = agents.start(genuine.toBuilder().tenant("acme").dataDir(temp.resolve("impostor")).build());
        Thread.sleep(3000);
        assertThat(impostor.isConnected()).isFalse();
        assertThat(tryConnect(globexBundle, "acme:dev-001")).isFalse();
    }

    @Test
    void aDevicePublishingOnAnotherDevicesTopic_isRefused() throws Exception {
        backend.car("acme", operator, "car-2", "dev-002");
        Path bundle = provision(ian, "car-2", "dev-002");
        Mqtt5AsyncClient device = client(bundle, "acme:dev-002");
        await().atMost(WAIT).until(() -> tryConnect(bundle, "acme:dev-002"));
        device.connect().get(WAIT.toSeconds(), TimeUnit.SECONDS);

        assertThat(device.publishWith().topic("lk/acme/dev-002/event").qos(MqttQos.AT_LEAST_ONCE).payload("{}".getBytes())
                .send().get(10, TimeUnit.SECONDS).getError()).isEmpty();
        assertThatThrownBy(() -> device.publishWith().topic("lk/acme/dev-001/telemetry").qos(MqttQos.AT_LEAST_ONCE)
                .payload("{}".getBytes()).send().get(10, TimeUnit.SECONDS))
                .hasRootCauseInstanceOf(Mqtt5PubAckException.class);
        device.disconnect().exceptionally(e -> null).get(5, TimeUnit.SECONDS);
    }

    /** {@code provision} into a fresh bundle directory; returns the bundle ({@code DIR/latchkey}). */
    private Path provision(Installer installer, String carId, String deviceId) {
        Path dir = temp.resolve("sd-" + deviceId + "-" + System.nanoTime());
        try {
            Files.createDirectories(dir);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        installer.ok("provision", "--car", carId, "--device", deviceId, "--bundle", dir.toString(),
                "--data-dir", temp.resolve("data-" + deviceId + "-" + System.nanoTime()).toString());
        return dir.resolve("latchkey");
    }

    /** A raw MQTT client holding the bundle's key material, as the agent loads it. */
    static Mqtt5AsyncClient client(Path bundle, String clientId) {
        AgentConfig config = DeviceAgents.fromBundle(bundle);
        MqttTls tls = config.tls();
        URI url = config.mqttUrl();
        return Mqtt5Client.builder().identifier(clientId).serverHost(url.getHost()).serverPort(url.getPort())
                .sslConfig().keyManagerFactory(tls.keyManagerFactory()).trustManagerFactory(tls.trustManagerFactory()).applySslConfig()
                .buildAsync();
    }

    static boolean tryConnect(Path bundle, String clientId) {
        Mqtt5AsyncClient client = client(bundle, clientId);
        try {
            client.connect().get(15, TimeUnit.SECONDS);
            client.disconnect().get(5, TimeUnit.SECONDS);
            return true;
        } catch (Exception e) {
            return false;
        }
    }
}
