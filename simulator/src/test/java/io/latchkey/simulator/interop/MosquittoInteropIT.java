package io.latchkey.simulator.interop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5Client;
import io.latchkey.agent.Agent;
import io.latchkey.agent.config.AgentConfig;
import io.latchkey.agent.mqtt.MqttTls;
import io.latchkey.cloud.pki.DeviceCertificateAuthority;
import io.latchkey.cloud.pki.InMemoryRevocationRegistry;
import io.latchkey.cloud.pki.IssuedDeviceCertificate;
import io.latchkey.cloud.pki.Pem;
import io.latchkey.cloud.pki.PlatformCertificateAuthority;
import io.latchkey.cloud.pki.ServiceIdentity;
import io.latchkey.cloud.pki.TlsIdentity;
import io.latchkey.protocol.Json;
import io.latchkey.protocol.Keys;
import io.latchkey.protocol.command.Command;
import io.latchkey.protocol.command.CommandSigner;
import io.latchkey.protocol.command.CommandType;
import io.latchkey.provisioning.bundle.AgentConfigFile;
import io.latchkey.provisioning.bundle.DeviceKeys;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The documented Mosquitto setup (docs/mosquitto) with a real Debian Mosquitto and the real agent booted
 * from a bundle holding certificates issued the way provisioning issues them: the device's own topics
 * work end to end (a signed command in, its acknowledgement out), another device's topic does not, a
 * certificate of another tenant is refused at the handshake, and a revoked one after a CRL reload.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MosquittoInteropIT {
    static final Clock CLOCK = Clock.systemUTC();
    static final SecureRandom RANDOM = new SecureRandom();

    @TempDir
    static Path temp;
    PlatformCertificateAuthority platform;
    DeviceCertificateAuthority acme;
    DeviceCertificateAuthority globex;
    InMemoryRevocationRegistry revocations = new InMemoryRevocationRegistry(CLOCK);
    KeyPair commandKey = Keys.newCommandKeyPair();
    Mosquitto mosquitto;
    Mqtt5AsyncClient cloud;
    List<String> seenByCloud = new CopyOnWriteArrayList<>();
    /** The raw acknowledgements, to be verified with the device's key as the backend does. */
    List<byte[]> acksSeenByCloud = new CopyOnWriteArrayList<>();
    DeviceAgents agents = new DeviceAgents();

    @BeforeAll
    void start() throws Exception {
        assumeTrue(Mosquitto.binary().isPresent(),
                "mosquitto is not installed (apt-get install mosquitto; .ci/run does): Mosquitto interop not tested");
        platform = PlatformCertificateAuthority.create(CLOCK, RANDOM);
        acme = DeviceCertificateAuthority.create("acme", CLOCK, RANDOM);
        globex = DeviceCertificateAuthority.create("globex", CLOCK, RANDOM);
        Path etc = Files.createDirectories(temp.resolve("etc"));
        TlsIdentity server = platform.issueBrokerServer(List.of("127.0.0.1", "localhost"), Duration.ofDays(1));
        Files.writeString(etc.resolve("platform-ca.pem"), Pem.encode(platform.certificate()));
        Files.writeString(etc.resolve("broker.crt"), Pem.encodeAll(server.chain()));
        Files.writeString(etc.resolve("broker.key"), Pem.encode(server.privateKey()));
        for (DeviceCertificateAuthority ca : List.of(acme, globex)) {
            Path dir = Files.createDirectories(etc.resolve("tenants").resolve(ca.tenant()));
            Files.writeString(dir.resolve("device-ca.pem"), Pem.encode(ca.certificate()));
            writeCrl(ca);
        }
        mosquitto = Mosquitto.start(etc, List.of("acme", "globex"));

        ServiceIdentity service = platform.issueService("latchkey-cloud", Duration.ofDays(1));
        cloud = Mqtt5Client.builder().identifier("latchkey-cloud").serverHost("127.0.0.1").serverPort(mosquitto.platformPort)
                .sslConfig().keyManagerFactory(service.tls().keyManagerFactory()).trustManagerFactory(trusting(platform)).applySslConfig()
                .buildAsync();
        cloud.connect().get(15, TimeUnit.SECONDS);
        cloud.subscribeWith().topicFilter("$share/latchkey-cloud/lk/+/+/#").qos(MqttQos.AT_LEAST_ONCE)
                .callback(p -> {
                    seenByCloud.add(p.getTopic() + " " + new String(p.getPayloadAsBytes(), StandardCharsets.UTF_8));
                    if (p.getTopic().toString().endsWith("/ack")) {
                        acksSeenByCloud.add(p.getPayloadAsBytes());
                    }
                })
                .send().get(10, TimeUnit.SECONDS);
    }

    @AfterAll
    void stop() throws Exception {
        agents.close();
        if (cloud != null) {
            cloud.disconnect().exceptionally(e -> null).get(5, TimeUnit.SECONDS);
        }
        if (mosquitto != null) {
            mosquitto.close();
        }
    }

    @Test
    void theRealAgent_usesItsOwnTopics_throughMosquitto_andAnswersASignedCommand() throws Exception {
        Path bundle = bundle(acme, "dev-001", "car-1");
        Agent agent = agents.start(DeviceAgents.fromBundle(bundle));
        agent.firstConnection().get(20, TimeUnit.SECONDS);
        await().atMost(Duration.ofSeconds(10)).until(() -> seen("lk/acme/dev-001/state"));

        Command unlock = new Command(UUID.randomUUID().toString(), "acme", "dev-001", CommandType.UNLOCK, Instant.now(),
                Instant.now().plusSeconds(30), "interop-test");
        byte[] signed = Json.write(new CommandSigner(commandKey.getPrivate(), "cmd-1").sign(unlock));
        cloud.publishWith().topic("lk/acme/dev-001/cmd").qos(MqttQos.AT_LEAST_ONCE).payload(signed).send().get(10, TimeUnit.SECONDS);

        // the answer is signed by the device's own key (the one its certificate certifies), as the backend checks it
        var deviceKey = io.latchkey.protocol.device.DeviceKeys.verification(tlsOf(bundle).certificate().getPublicKey());
        await().atMost(Duration.ofSeconds(15)).until(() -> acksSeenByCloud.stream()
                .map(m -> io.latchkey.protocol.command.AckVerifier.verify(m, "acme", "dev-001", deviceKey))
                .anyMatch(ack -> ack.commandId().equals(unlock.id()) && ack.outcome() == io.latchkey.protocol.command.CommandOutcome.EXECUTED));
    }

    @Test
    void aDevicePublishingOnAnotherDevicesTopic_isDropped() throws Exception {
        Path bundle = bundle(acme, "dev-002", "car-2");
        Mqtt5AsyncClient device = client(bundle, mosquitto.tenantPorts.get("acme"), "acme:dev-002");
        device.connect().get(15, TimeUnit.SECONDS);

        publish(device, "lk/acme/dev-003/telemetry", "forged");
        publish(device, "lk/acme/dev-003/cmd", "forged");
        publish(device, "lk/acme/dev-002/event", "genuine");

        await().atMost(Duration.ofSeconds(10)).until(() -> seen("lk/acme/dev-002/event genuine"));
        assertThat(seenByCloud).noneMatch(m -> m.contains("forged"));
        device.disconnect().exceptionally(e -> null).get(5, TimeUnit.SECONDS);
    }

    @Test
    void aCertificateOfAnotherTenant_isRefusedOnThisTenantsListener() throws Exception {
        Path bundle = bundle(globex, "dev-001", "car-9");
        assertThat(connects(bundle, mosquitto.tenantPorts.get("globex"), "globex:dev-001")).isTrue();
        assertThat(connects(bundle, mosquitto.tenantPorts.get("acme"), "acme:dev-001")).isFalse();
    }

    @Test
    void aRevokedCertificate_isRefusedAfterTheCrlIsReloaded() throws Exception {
        Path bundle = bundle(acme, "dev-004", "car-4");
        int port = mosquitto.tenantPorts.get("acme");
        assertThat(connects(bundle, port, "acme:dev-004")).isTrue();

        revocations.revoke("acme", tlsOf(bundle).certificate().getSerialNumber(), "dev-004", "lost");
        writeCrl(acme);
        mosquitto.reload();

        await().atMost(Duration.ofSeconds(10)).until(() -> !connects(bundle, port, "acme:dev-004"));
    }

    /** A bundle as 'latchkey provision' writes it: key made here, certificate from the tenant CA, broker CA, agent.properties. */
    private Path bundle(DeviceCertificateAuthority ca, String deviceId, String carId) throws Exception {
        DeviceKeys keys = DeviceKeys.generate(RANDOM);
        IssuedDeviceCertificate issued = ca.issue(deviceId, carId, keys.csrPem(ca.tenant(), deviceId));
        Path dir = Files.createDirectories(temp.resolve("bundle-" + ca.tenant() + "-" + deviceId));
        Files.writeString(dir.resolve("device.crt"), issued.certificatePem());
        Files.writeString(dir.resolve("device.key"), keys.privateKeyPem());
        Files.writeString(dir.resolve("ca-chain.pem"), String.join("", issued.caChainPem()));
        Files.writeString(dir.resolve("broker-ca.pem"), Pem.encode(platform.certificate()));
        String url = "ssl://127.0.0.1:" + mosquitto.tenantPorts.get(ca.tenant());
        Files.writeString(dir.resolve("agent.properties"), AgentConfigFile.render(ca.tenant(), deviceId, carId, url,
                Map.of("cmd-1", Keys.encodePublic(commandKey.getPublic())), dir.resolve("data").toString(), "broker-ca.pem", Instant.now()));
        return dir;
    }

    private void writeCrl(DeviceCertificateAuthority ca) throws Exception {
        Files.writeString(temp.resolve("etc/tenants").resolve(ca.tenant()).resolve("device-ca.crl"),
                ca.crlPem(revocations.revoked(ca.tenant()), Duration.ofDays(1)));
    }

    private boolean seen(String prefix) {
        return seenByCloud.stream().anyMatch(m -> m.startsWith(prefix));
    }

    private static MqttTls tlsOf(Path bundle) {
        return DeviceAgents.fromBundle(bundle).tls();
    }

    private static Mqtt5AsyncClient client(Path bundle, int port, String clientId) {
        MqttTls tls = tlsOf(bundle);
        return Mqtt5Client.builder().identifier(clientId).serverHost("127.0.0.1").serverPort(port)
                .sslConfig().keyManagerFactory(tls.keyManagerFactory()).trustManagerFactory(tls.trustManagerFactory()).applySslConfig()
                .buildAsync();
    }

    private static boolean connects(Path bundle, int port, String clientId) {
        Mqtt5AsyncClient client = client(bundle, port, clientId);
        try {
            client.connect().get(10, TimeUnit.SECONDS);
            client.disconnect().get(5, TimeUnit.SECONDS);
            return true;
        } catch (Exception e) {
            return false;
        }
    }

    private static void publish(Mqtt5AsyncClient client, String topic, String payload) {
        try {
            client.publishWith().topic(topic).qos(MqttQos.AT_LEAST_ONCE).payload(payload.getBytes(StandardCharsets.UTF_8))
                    .send().get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            // Mosquitto answers a denied QoS 1 publish with a PUBACK 'not authorized' to MQTT 5 clients; either way it is dropped.
        }
    }

    private static TrustManagerFactory trusting(PlatformCertificateAuthority platform) throws Exception {
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        store.setCertificateEntry("platform-ca", platform.certificate());
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init(store);
        return factory;
    }
}
