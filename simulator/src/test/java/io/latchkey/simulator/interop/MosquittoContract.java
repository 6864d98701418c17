package io.latchkey.simulator.interop;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5Client;
import io.latchkey.agent.config.AgentConfigLoader;
import io.latchkey.agent.mqtt.BrokerEndpoint;
import io.latchkey.cloud.pki.DeviceCertificateAuthority;
import io.latchkey.cloud.pki.IssuedDeviceCertificate;
import io.latchkey.cloud.pki.Pem;
import io.latchkey.cloud.pki.PlatformCertificateAuthority;
import io.latchkey.cloud.pki.ServiceIdentity;
import io.latchkey.cloud.pki.TlsIdentity;
import io.latchkey.protocol.Keys;
import io.latchkey.provisioning.bundle.AgentConfigFile;
import io.latchkey.provisioning.bundle.DeviceKeys;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.TrustManagerFactory;

/**
 * The contract against a real Mosquitto with the documented configuration (docs/mosquitto, see {@link Mosquitto}):
 * the device on its tenant's listener with mutual TLS (a certificate issued as provisioning issues it, the device key
 * from the bundle), the observer on the platform listener with the cloud's service certificate.
 */
abstract class MosquittoContract extends BrokerConnectionContract {
    private static final Clock CLOCK = Clock.systemUTC();
    private static final SecureRandom RANDOM = new SecureRandom();

    @Override
    ContractBroker startBroker() throws Exception {
        assumeTrue(Mosquitto.binary().isPresent(),
                "mosquitto is not installed (apt-get install mosquitto; .ci/run does): contract not tested against Mosquitto");
        Path temp = Files.createTempDirectory("contract-mosquitto-");
        PlatformCertificateAuthority platform = PlatformCertificateAuthority.create(CLOCK, RANDOM);
        DeviceCertificateAuthority acme = DeviceCertificateAuthority.create("acme", CLOCK, RANDOM);
        Path etc = Files.createDirectories(temp.resolve("etc"));
        TlsIdentity server = platform.issueBrokerServer(List.of("127.0.0.1", "localhost"), Duration.ofDays(1));
        Files.writeString(etc.resolve("platform-ca.pem"), Pem.encode(platform.certificate()));
        Files.writeString(etc.resolve("broker.crt"), Pem.encodeAll(server.chain()));
        Files.writeString(etc.resolve("broker.key"), Pem.encode(server.privateKey()));
        Path tenantDir = Files.createDirectories(etc.resolve("tenants").resolve("acme"));
        Files.writeString(tenantDir.resolve("device-ca.pem"), Pem.encode(acme.certificate()));
        Files.writeString(tenantDir.resolve("device-ca.crl"),
                acme.crlPem(new io.latchkey.cloud.pki.InMemoryRevocationRegistry(CLOCK).revoked("acme"), Duration.ofDays(1)));
        Mosquitto mosquitto = Mosquitto.start(etc, List.of("acme"));
        ServiceIdentity service = platform.issueService("latchkey-cloud", Duration.ofDays(1));
        String commandKey = Keys.encodePublic(Keys.newCommandKeyPair().getPublic());

        return new ContractBroker() {
            @Override
            public BrokerEndpoint endpoint(String deviceId) throws Exception {
                DeviceKeys keys = DeviceKeys.generate(RANDOM);
                IssuedDeviceCertificate issued = acme.issue(deviceId, "car-" + deviceId, keys.csrPem("acme", deviceId));
                Path dir = Files.createDirectories(temp.resolve("bundle-" + deviceId));
                Files.writeString(dir.resolve("device.crt"), issued.certificatePem());
                Files.writeString(dir.resolve("device.key"), keys.privateKeyPem());
                Files.writeString(dir.resolve("ca-chain.pem"), String.join("", issued.caChainPem()));
                Files.writeString(dir.resolve("broker-ca.pem"), Pem.encode(platform.certificate()));
                Files.writeString(dir.resolve("agent.properties"), AgentConfigFile.render("acme", deviceId, "car-" + deviceId,
                        "ssl://127.0.0.1:" + mosquitto.tenantPorts.get("acme"), Map.of("cmd-1", commandKey),
                        dir.resolve("data").toString(), "broker-ca.pem", Instant.now()));
                BrokerEndpoint endpoint = AgentConfigLoader.load(dir.resolve("agent.properties")).toBuilder()
                        .sessionExpiry(SESSION_EXPIRY).build().brokerEndpoint(CLOCK, new SplittableRandom());
                if (!endpoint.mutualTls()) {
                    throw new IllegalStateException("the tenant listener needs the device certificate");
                }
                return endpoint;
            }

            @Override
            public Mqtt5AsyncClient observer() throws Exception {
                KeyStore store = KeyStore.getInstance("PKCS12");
                store.load(null, null);
                store.setCertificateEntry("platform-ca", platform.certificate());
                TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
                trust.init(store);
                Mqtt5AsyncClient cloud = Mqtt5Client.builder().identifier("latchkey-cloud-" + System.nanoTime())
                        .serverHost("127.0.0.1").serverPort(mosquitto.platformPort)
                        .sslConfig().keyManagerFactory(service.tls().keyManagerFactory()).trustManagerFactory(trust).applySslConfig()
                        .buildAsync();
                cloud.connect().get(15, TimeUnit.SECONDS);
                return cloud;
            }

            @Override
            public void restart() throws Exception {
                mosquitto.restart();
            }

            @Override
            public void close() throws Exception {
                mosquitto.close();
            }
        };
    }
}
