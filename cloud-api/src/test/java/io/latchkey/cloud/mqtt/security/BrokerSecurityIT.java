package io.latchkey.cloud.mqtt.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5Client;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5ConnAckException;
import com.hivemq.client.mqtt.mqtt5.message.connect.connack.Mqtt5ConnAckReasonCode;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5PublishResult;
import com.hivemq.client.mqtt.mqtt5.message.subscribe.suback.Mqtt5SubAckReasonCode;
import com.hivemq.embedded.EmbeddedHiveMQ;
import io.latchkey.cloud.pki.DeviceCertificateAuthority;
import io.latchkey.cloud.pki.FileRevocationRegistry;
import io.latchkey.cloud.pki.PlatformCertificateAuthority;
import io.latchkey.cloud.pki.TlsIdentity;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real HiveMQ CE broker with a mutual-TLS listener and the Latchkey extension, and real MQTT 5
 * clients holding certificates from the tenant CAs.
 */
class BrokerSecurityIT {
    private static final Clock CLOCK = Clock.systemUTC();
    private static final SecureRandom RANDOM = new SecureRandom();

    @TempDir
    static Path home;

    static PlatformCertificateAuthority platform;
    static DeviceCertificateAuthority acme;
    static DeviceCertificateAuthority globex;
    static FileRevocationRegistry revocations;
    static EmbeddedHiveMQ broker;
    static int port;

    @BeforeAll
    static void startBroker() throws Exception {
        platform = PlatformCertificateAuthority.create(CLOCK, RANDOM);
        acme = DeviceCertificateAuthority.create("acme", CLOCK, RANDOM);
        globex = DeviceCertificateAuthority.create("globex", CLOCK, RANDOM);
        revocations = new FileRevocationRegistry(home.resolve("tenants"), CLOCK);
        RegisteredDeviceTrust trust = new RegisteredDeviceTrust(revocations)
                .register("acme", acme.certificate())
                .register("globex", globex.certificate());

        BrokerTlsFiles tls = new BrokerTlsFiles(Files.createDirectories(home.resolve("tls")), "broker-secret");
        tls.writeKeyStore(platform.issueBrokerServer(List.of("127.0.0.1", "localhost"), Duration.ofDays(1)));
        tls.writeTrustStore(List.of(platform.certificate(), acme.certificate(), globex.certificate()));
        port = freePort();
        Path conf = Files.createDirectories(home.resolve("conf"));
        Files.writeString(conf.resolve("config.xml"), """
                <?xml version="1.0"?>
                <hivemq>
                    <listeners>
                %s
                    </listeners>
                    <anonymous-usage-statistics><enabled>false</enabled></anonymous-usage-statistics>
                    <persistence><mode>in-memory</mode></persistence>
                </hivemq>
                """.formatted(tls.listenerXml("127.0.0.1", port)));

        broker = EmbeddedHiveMQ.builder()
                .withConfigurationFolder(conf)
                .withDataFolder(Files.createDirectories(home.resolve("data")))
                .withExtensionsFolder(Files.createDirectories(home.resolve("extensions")))
                .withEmbeddedExtension(BrokerSecurityExtension.embedded(trust, (tenant, device) -> java.util.Optional.empty(), platform.certificate(), CLOCK, false))
                .withoutLoggingBootstrap()
                .build();
        broker.start().get(60, TimeUnit.SECONDS);
    }

    @AfterAll
    static void stopBroker() throws Exception {
        if (broker != null) {
            broker.close();
        }
    }

    @Test
    void device_usesItsOwnTopics_andTheServiceSeesThem() {
        Mqtt5AsyncClient cloud = connect("latchkey-cloud-1", platform.issueService("latchkey-cloud", Duration.ofDays(1)).tls());
        List<String> seenByCloud = new CopyOnWriteArrayList<>();
        cloud.subscribeWith().topicFilter("$share/latchkey-cloud/lk/+/+/telemetry").qos(MqttQos.AT_LEAST_ONCE)
                .callback(p -> seenByCloud.add(p.getTopic().toString())).send().join();

        Mqtt5AsyncClient device = connect("acme:dev-001", TestPki.provision(acme, "dev-001", "car-7"));
        List<String> commands = new CopyOnWriteArrayList<>();
        device.subscribeWith().topicFilter("lk/acme/dev-001/cmd").qos(MqttQos.AT_LEAST_ONCE)
                .callback(p -> commands.add(new String(p.getPayloadAsBytes(), StandardCharsets.UTF_8))).send().join();

        List<String> receipts = new CopyOnWriteArrayList<>();
        device.subscribeWith().topicFilter("lk/acme/dev-001/receipt").qos(MqttQos.AT_LEAST_ONCE)
                .callback(p -> receipts.add(p.getTopic().toString())).send().join();

        assertThat(publish(device, "lk/acme/dev-001/telemetry").getError()).isEmpty();
        assertThat(publish(cloud, "lk/acme/dev-001/cmd").getError()).isEmpty();
        assertThat(publish(cloud, "lk/acme/dev-001/receipt").getError()).isEmpty();

        await().atMost(Duration.ofSeconds(10)).until(() -> seenByCloud.contains("lk/acme/dev-001/telemetry")
                && commands.size() == 1 && receipts.size() == 1);
        disconnect(device, cloud);
    }

    @Test
    void device_publishingOnAnotherDevicesTopic_isRefused_andNothingIsDelivered() throws Exception {
        Mqtt5AsyncClient victim = connect("acme:dev-011", TestPki.provision(acme, "dev-011", "car-11"));
        List<String> victimCommands = new CopyOnWriteArrayList<>();
        victim.subscribeWith().topicFilter("lk/acme/dev-011/cmd").qos(MqttQos.AT_LEAST_ONCE)
                .callback(p -> victimCommands.add(p.getTopic().toString())).send().join();
        TlsIdentity attacker = TestPki.provision(acme, "dev-010", "car-10");

        // Receipts too: a forged receipt would make a car drop telemetry the cloud never stored.
        for (String topic : List.of("lk/acme/dev-011/cmd", "lk/acme/dev-011/telemetry", "lk/globex/dev-010/telemetry",
                "lk/acme/dev-011/receipt", "lk/acme/dev-010/receipt")) {
            Mqtt5AsyncClient device = connect("acme:dev-010", attacker);
            assertThat(publish(device, topic).getError()).as(topic).isPresent();
            disconnect(device);
        }

        Thread.sleep(500);
        assertThat(victimCommands).isEmpty();
        disconnect(victim);
    }

    /** Car-sticky ingestion's forwards are processed as the device topic they name: only a backend may send them. */
    @Test
    void device_cannotPublishOrSubscribe_onTheTopicsBetweenReplicas() throws Exception {
        Mqtt5AsyncClient cloud = connect("latchkey-cloud-a", platform.issueService("latchkey-cloud", Duration.ofDays(1)).tls());
        List<String> forwards = new CopyOnWriteArrayList<>();
        cloud.subscribeWith().topicFilter("lk/_ingest/latchkey-cloud-a").qos(MqttQos.AT_LEAST_ONCE)
                .callback(p -> forwards.add(new String(p.getPayloadAsBytes(), StandardCharsets.UTF_8))).send().join();
        TlsIdentity car = TestPki.provision(acme, "dev-040", "car-40");
        for (String topic : List.of("lk/_ingest/latchkey-cloud-a", "lk/_replicas/latchkey-cloud-z")) {
            Mqtt5AsyncClient device = connect("acme:dev-040", car);
            assertThat(publish(device, topic).getError()).as(topic).isPresent();
            disconnect(device);
        }
        Mqtt5AsyncClient device = connect("acme:dev-040", car);
        List<String> overheard = new CopyOnWriteArrayList<>();
        for (String filter : List.of("lk/_ingest/latchkey-cloud-a", "lk/_ingest/#", "lk/_replicas/+")) {
            Throwable refusal = device.subscribeWith().topicFilter(filter).qos(MqttQos.AT_LEAST_ONCE)
                    .callback(p -> overheard.add(p.getTopic().toString())).send()
                    .handle((ack, error) -> error != null ? error
                            : ack.getReasonCodes().contains(Mqtt5SubAckReasonCode.NOT_AUTHORIZED) ? new IllegalStateException("refused") : null)
                    .join();
            assertThat(refusal).as(filter).isNotNull();
        }
        assertThat(publish(cloud, "lk/_ingest/latchkey-cloud-a").getError()).as("a backend forwards").isEmpty();
        await().atMost(Duration.ofSeconds(10)).until(() -> forwards.size() == 1);
        Thread.sleep(300);
        assertThat(forwards).as("only the backend's forward arrived").hasSize(1);
        assertThat(overheard).isEmpty();
        disconnect(device, cloud);
    }

    @Test
    void device_subscribingToAnotherDevicesCommandsOrReceipts_isRefused() {
        Mqtt5AsyncClient device = connect("acme:dev-020", TestPki.provision(acme, "dev-020", "car-20"));

        for (String filter : List.of("lk/acme/dev-021/cmd", "lk/acme/dev-021/receipt")) {
            Throwable refusal = device.subscribeWith().topicFilter(filter).qos(MqttQos.AT_LEAST_ONCE).send()
                    .handle((ack, error) -> error != null ? error
                            : ack.getReasonCodes().contains(Mqtt5SubAckReasonCode.NOT_AUTHORIZED) ? new IllegalStateException("refused") : null)
                    .join();
            assertThat(refusal).as(filter).isNotNull();
        }
        disconnect(device);
    }

    @Test
    void device_withAnotherClientId_isRefusedAtConnect() {
        assertThat(refusedConnect("dev-030", TestPki.provision(acme, "dev-030", "car-30")))
                .isEqualTo(Mqtt5ConnAckReasonCode.CLIENT_IDENTIFIER_NOT_VALID);
    }

    @Test
    void certificateFromAnotherTenantsCa_claimingThisTenant_isRefusedAtConnect() {
        TlsIdentity forged = TestPki.forge(TestPki.nameOf(globex.certificate()), TestPki.keyOf(globex), "CN=dev-040,O=acme",
                Instant.now().plusSeconds(3600), "urn:latchkey:acme:dev-040", "urn:latchkey:car:acme:car-40");

        assertThat(refusedConnect("acme:dev-040", forged)).isEqualTo(Mqtt5ConnAckReasonCode.NOT_AUTHORIZED);
    }

    @Test
    void certificateFromACaTheBrokerDoesNotTrust_failsTheHandshake() {
        DeviceCertificateAuthority initech = DeviceCertificateAuthority.create("initech", CLOCK, RANDOM);
        Mqtt5AsyncClient client = client("initech:dev-050", TestPki.provision(initech, "dev-050", "car-50"));

        assertThatThrownBy(() -> client.connect().get(15, TimeUnit.SECONDS)).isNotNull();
    }

    @Test
    void revokedCertificate_dropsTheLiveSession_andIsRefusedAtReconnect() {
        TlsIdentity identity = TestPki.provision(acme, "dev-060", "car-60");
        AtomicBoolean dropped = new AtomicBoolean();
        Mqtt5AsyncClient device = Mqtt5Client.builder().identifier("acme:dev-060").serverHost("127.0.0.1").serverPort(port)
                .sslConfig().keyManagerFactory(identity.keyManagerFactory()).trustManagerFactory(platformTrust()).applySslConfig()
                .addDisconnectedListener(context -> dropped.set(true))
                .buildAsync();
        device.connect().join();

        new RevokedSessions(revocations, new HiveMqSessionControl())
                .revoke("acme", "dev-060", identity.certificate().getSerialNumber(), "decommissioned").join();

        await().atMost(Duration.ofSeconds(10)).untilTrue(dropped);
        assertThat(refusedConnect("acme:dev-060", identity)).isEqualTo(Mqtt5ConnAckReasonCode.NOT_AUTHORIZED);
    }

    private static Mqtt5ConnAckReasonCode refusedConnect(String clientId, TlsIdentity identity) {
        CompletableFuture<?> connect = client(clientId, identity).connect();
        Throwable error = connect.handle((ack, e) -> e).join();
        assertThat(error).as("connect must be refused").isNotNull();
        Throwable cause = error instanceof CompletionException ? error.getCause() : error;
        assertThat(cause).isInstanceOf(Mqtt5ConnAckException.class);
        return ((Mqtt5ConnAckException) cause).getMqttMessage().getReasonCode();
    }

    private static Mqtt5PublishResult publish(Mqtt5AsyncClient client, String topic) {
        return client.publish(Mqtt5Publish.builder().topic(topic).qos(MqttQos.AT_LEAST_ONCE)
                .payload("{}".getBytes(StandardCharsets.UTF_8)).build()).handle((result, error) -> {
                    if (error != null) {
                        return new FailedPublish(error);
                    }
                    return result;
                }).join();
    }

    private static Mqtt5AsyncClient connect(String clientId, TlsIdentity identity) {
        Mqtt5AsyncClient client = client(clientId, identity);
        client.connect().join();
        return client;
    }

    private static Mqtt5AsyncClient client(String clientId, TlsIdentity identity) {
        return Mqtt5Client.builder().identifier(clientId).serverHost("127.0.0.1").serverPort(port)
                .sslConfig().keyManagerFactory(identity.keyManagerFactory()).trustManagerFactory(platformTrust()).applySslConfig()
                .buildAsync();
    }

    private static TrustManagerFactory platformTrust() {
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            store.setCertificateEntry("platform", platform.certificate());
            TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            factory.init(store);
            return factory;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static void disconnect(Mqtt5AsyncClient... clients) {
        for (Mqtt5AsyncClient client : clients) {
            client.disconnect().handle((v, e) -> null).join();
        }
    }

    private static int freePort() throws Exception {
        return io.latchkey.protocol.net.FreePorts.pick();
    }

    private record FailedPublish(Throwable error) implements Mqtt5PublishResult {
        @Override
        public Mqtt5Publish getPublish() {
            return null;
        }

        @Override
        public java.util.Optional<Throwable> getError() {
            return java.util.Optional.of(error);
        }
    }
}
