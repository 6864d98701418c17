package io.latchkey.cloud.device;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5Client;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import io.latchkey.cloud.it.CloudApp;
import io.latchkey.cloud.it.DeviceCredentials;
import io.latchkey.cloud.pki.Pem;
import io.latchkey.cloud.pki.TlsIdentity;
import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The broker export on Debian's real Mosquitto 2: written from a running backend's CAs and revocations, the
 * broker starts with it, a device connects over mutual TLS on its tenant's listener and reaches the backend's
 * shared subscription only on its own topics, and after a revocation, a fresh export and SIGHUP it is refused.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BrokerExportIT {
    private static final Path MOSQUITTO = Path.of("/usr/sbin/mosquitto");
    @TempDir
    static Path dataDir;
    @TempDir
    static Path etc;
    CloudApp app;
    Process broker;
    BrokerExport.Options options;
    Map<String, Integer> ports;
    Mqtt5AsyncClient backend;
    final LinkedBlockingQueue<String> received = new LinkedBlockingQueue<>();

    @BeforeAll
    void start() throws Exception {
        assumeTrue(Files.isExecutable(MOSQUITTO), "mosquitto is not installed (apt-get install mosquitto; .ci/run does)");
        app = CloudApp.start(dataDir, Map.of());
        String admin = app.tenantWithAdmin("acme");
        String operator = app.user("acme", admin, "olga@acme.test", "operator");
        app.car("acme", operator, "car-1", "dev-001");
        app.tenantWithAdmin("globex");
        options = new BrokerExport.Options(etc, List.of("127.0.0.1", "localhost"), "127.0.0.1", freePort(),
                Map.of("acme", freePort(), "globex", freePort()), Duration.ofDays(30), Duration.ofDays(7), System.getProperty("user.name"));
        ports = app.context().getBean(BrokerExport.class).write(options);
        Path log = etc.resolve("mosquitto.log");
        broker = new ProcessBuilder(MOSQUITTO.toString(), "-c", etc.resolve("mosquitto.conf").toString())
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        for (int port : List.of(options.platformPort(), ports.get("acme"), ports.get("globex"))) {
            awaitListening(port, log);
        }
        DeviceAuthorities authorities = app.context().getBean(DeviceAuthorities.class);
        TlsIdentity service = authorities.platform().issueService(BrokerExport.BACKEND_IDENTITY, Duration.ofHours(1)).tls();
        backend = client("latchkey-cloud-1", options.platformPort(), service);
        backend.connect().get(15, TimeUnit.SECONDS);
        backend.subscribeWith().topicFilter("$share/latchkey-cloud/lk/+/+/telemetry").qos(MqttQos.AT_LEAST_ONCE)
                .callback(p -> received.add(p.getTopic() + " " + new String(p.getPayloadAsBytes(), StandardCharsets.UTF_8)))
                .send().get(15, TimeUnit.SECONDS);
    }

    @AfterAll
    void stop() throws Exception {
        if (backend != null) {
            backend.disconnect();
        }
        if (broker != null) {
            broker.destroy();
            broker.waitFor(5, TimeUnit.SECONDS);
        }
        if (app != null) {
            app.close();
        }
    }

    @Test
    void theExport_namesEveryTenant_andKeepsItsFilesOwnerOnly() throws Exception {
        assertThat(ports).containsOnlyKeys("acme", "globex");
        assertThat(Files.readString(etc.resolve("tenants/acme/acl"))).contains("pattern write lk/acme/%u/telemetry")
                .doesNotContain("globex");
        assertThat(Files.readString(etc.resolve("mosquitto.conf"))).contains("crlfile " + etc.toAbsolutePath().resolve("tenants/globex/device-ca.crl"));
        assertThat(Files.getPosixFilePermissions(etc.resolve("broker.key")))
                .containsExactlyInAnyOrder(java.nio.file.attribute.PosixFilePermission.OWNER_READ,
                        java.nio.file.attribute.PosixFilePermission.OWNER_WRITE);
    }

    @Test
    void aDevice_reachesTheBackend_onItsOwnTopicsOnly_andIsRefusedAfterItsRevocation() throws Exception {
        DeviceCredentials creds = app.device("acme", "dev-001");
        TlsIdentity device = new TlsIdentity(creds.key().getPrivate(), Pem.certificates(creds.certificatePem()));
        Mqtt5AsyncClient car = client("acme:dev-001", ports.get("acme"), device);
        car.connect().get(15, TimeUnit.SECONDS);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> car.publishWith().topic("lk/acme/dev-002/telemetry")
                        .payload("forged".getBytes(StandardCharsets.UTF_8)).qos(MqttQos.AT_LEAST_ONCE).send().get(15, TimeUnit.SECONDS))
                .as("Mosquitto refuses another device's topic").hasRootCauseInstanceOf(
                        com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5PubAckException.class);
        car.publishWith().topic("lk/acme/dev-001/telemetry").payload("own".getBytes(StandardCharsets.UTF_8))
                .qos(MqttQos.AT_LEAST_ONCE).send().get(15, TimeUnit.SECONDS);
        assertThat(received.poll(10, TimeUnit.SECONDS)).isEqualTo("lk/acme/dev-001/telemetry own");
        assertThat(received.poll(500, TimeUnit.MILLISECONDS)).as("the forged publication was dropped").isNull();
        car.disconnect().get(15, TimeUnit.SECONDS);

        // the tenant's certificate is refused on another tenant's listener
        Mqtt5AsyncClient elsewhere = client("globex:dev-001", ports.get("globex"), device);
        assertThat(connects(elsewhere)).isFalse();

        DeviceAuthorities authorities = app.context().getBean(DeviceAuthorities.class);
        authorities.revocations().revoke("acme", Pem.certificates(creds.certificatePem()).get(0).getSerialNumber(), "dev-001", "test");
        app.context().getBean(BrokerExport.class).write(options);
        new ProcessBuilder("kill", "-HUP", Long.toString(broker.pid())).start().waitFor();
        Thread.sleep(500);
        assertThat(connects(client("acme:dev-001", ports.get("acme"), device))).isFalse();
    }

    /** Car-sticky ingestion's forwards are processed as the device topic they name: only a backend may send them. */
    @Test
    void aDevice_cannotPublishOrSubscribe_onTheTopicsBetweenReplicas() throws Exception {
        LinkedBlockingQueue<String> forwards = new LinkedBlockingQueue<>();
        backend.subscribeWith().topicFilter("lk/_ingest/latchkey-cloud-1").qos(MqttQos.AT_LEAST_ONCE)
                .callback(p -> forwards.add(new String(p.getPayloadAsBytes(), StandardCharsets.UTF_8))).send().get(15, TimeUnit.SECONDS);
        DeviceCredentials creds = app.device("acme", "dev-001");
        TlsIdentity device = new TlsIdentity(creds.key().getPrivate(), Pem.certificates(creds.certificatePem()));
        Mqtt5AsyncClient car = client("acme:dev-001", ports.get("acme"), device);
        car.connect().get(15, TimeUnit.SECONDS);
        try {
            for (String topic : List.of("lk/_ingest/latchkey-cloud-1", "lk/_replicas/latchkey-cloud-9")) {
                org.assertj.core.api.Assertions.assertThatThrownBy(() -> car.publishWith().topic(topic)
                                .payload("forged".getBytes(StandardCharsets.UTF_8)).qos(MqttQos.AT_LEAST_ONCE).send().get(15, TimeUnit.SECONDS))
                        .as("Mosquitto refuses " + topic).hasRootCauseInstanceOf(com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5PubAckException.class);
            }
            LinkedBlockingQueue<String> overheard = new LinkedBlockingQueue<>();
            for (String filter : List.of("lk/_ingest/latchkey-cloud-1", "lk/_ingest/#", "lk/_replicas/+")) {
                // Mosquitto may grant a subscription and filter each message by the ACL: what counts is that none arrives
                car.subscribeWith().topicFilter(filter).qos(MqttQos.AT_LEAST_ONCE)
                        .callback(p -> overheard.add(p.getTopic().toString())).send()
                        .handle((a, e) -> a).get(15, TimeUnit.SECONDS);
            }
            backend.publishWith().topic("lk/_ingest/latchkey-cloud-1").payload("from a replica".getBytes(StandardCharsets.UTF_8))
                    .qos(MqttQos.AT_LEAST_ONCE).send().get(15, TimeUnit.SECONDS);
            assertThat(forwards.poll(10, TimeUnit.SECONDS)).isEqualTo("from a replica");
            assertThat(forwards.poll(500, TimeUnit.MILLISECONDS)).as("the device's forgeries were dropped").isNull();
            assertThat(overheard).as("the device overheard nothing between replicas").isEmpty();
        } finally {
            car.disconnect().get(15, TimeUnit.SECONDS);
        }
    }

    @Test
    void theCommand_startsTheBackendsComponentsAlone_andWritesTheFiles(@TempDir Path otherData, @TempDir Path out) throws Exception {
        BrokerExport.Options parsed = BrokerExportMain.parse(new String[] {"--out", out.toString(), "--host", "mqtt.example.test",
                "--host", "127.0.0.1", "--platform-port", "9883", "--tenant-port", "acme=9884", "--crl-days", "2"});
        assertThat(parsed.hosts()).containsExactly("mqtt.example.test", "127.0.0.1");
        assertThat(parsed.tenantPorts()).containsExactly(Map.entry("acme", 9884));
        assertThat(parsed.bind()).isEqualTo("0.0.0.0");
        Map<String, Integer> written = BrokerExportMain.run(parsed, Map.of("latchkey.data-dir", otherData.toString(),
                "latchkey.admin.user", "admin", "latchkey.admin.password", CloudApp.ADMIN_PASSWORD));
        assertThat(written).containsExactly(Map.entry("acme", 9884));
        assertThat(Files.readString(out.resolve("mosquitto.conf"))).contains("listener 9883 0.0.0.0", "listener 9884 0.0.0.0");
        assertThat(Pem.certificates(Files.readString(out.resolve("broker.crt"))).get(0).getSubjectAlternativeNames())
                .extracting(n -> String.valueOf(n.get(1))).contains("mqtt.example.test", "127.0.0.1");

        for (String[] wrong : List.of(new String[] {"--host", "h"}, new String[] {"--out", "x"},
                new String[] {"--out", "x", "--host", "h", "--platform-port", "70000"},
                new String[] {"--out", "x", "--host", "h", "--tenant-port", "acme"}, new String[] {"--out"},
                new String[] {"--out", "x", "--host", "h", "--colour", "red"})) {
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> BrokerExportMain.parse(wrong))
                    .isInstanceOf(IllegalArgumentException.class);
        }
    }

    private static boolean connects(Mqtt5AsyncClient client) {
        try {
            client.connect().get(10, TimeUnit.SECONDS);
            client.disconnect();
            return true;
        } catch (Exception e) {
            return false;
        }
    }

    private Mqtt5AsyncClient client(String id, int port, TlsIdentity identity) throws Exception {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("platform-ca", app.context().getBean(DeviceAuthorities.class).platform().certificate());
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        return Mqtt5Client.builder().identifier(id).serverHost("127.0.0.1").serverPort(port)
                .sslConfig().keyManagerFactory(identity.keyManagerFactory()).trustManagerFactory(tmf).applySslConfig()
                .buildAsync();
    }

    private void awaitListening(int port, Path log) throws Exception {
        Instant deadline = Instant.now().plusSeconds(15);
        while (true) {
            if (!broker.isAlive()) {
                throw new IllegalStateException("mosquitto exited " + broker.exitValue() + ":\n" + Files.readString(log));
            }
            try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
                return;
            } catch (IOException e) {
                if (Instant.now().isAfter(deadline)) {
                    throw new IllegalStateException("mosquitto does not listen on " + port + ":\n" + Files.readString(log));
                }
                Thread.sleep(50);
            }
        }
    }

    private static int freePort() throws IOException {
        return io.latchkey.protocol.net.FreePorts.pick();
    }
}
