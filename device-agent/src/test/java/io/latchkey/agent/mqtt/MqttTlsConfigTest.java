package io.latchkey.agent.mqtt;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.latchkey.agent.AgentConfigException;
import io.latchkey.agent.config.AgentConfigLoader;
import io.latchkey.protocol.Keys;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The bundle's mqtt.tls.* keys are checked at start-up and every failure names its key. */
class MqttTlsConfigTest {
    @TempDir
    Path dir;

    private Map<String, String> bundle(String url) {
        Map<String, String> values = new HashMap<>();
        values.put("tenant", "acme");
        values.put("device.id", "dev-001");
        values.put("mqtt.url", url);
        values.put("command.keys.cmd-1", Keys.encodePublic(Keys.newCommandKeyPair().getPublic()));
        values.put("data.dir", "data");
        return values;
    }

    @Test
    void aCertificateWithoutItsKey_isRefused_namingTheMissingKey() {
        Map<String, String> values = bundle("ssl://broker.example:8883");
        values.put(MqttTls.CERTIFICATE_KEY, "device.crt");

        assertThatThrownBy(() -> AgentConfigLoader.fromMap(values, dir))
                .isInstanceOf(AgentConfigException.class).hasMessageContaining("mqtt.tls.private-key is required");
    }

    @Test
    void aMissingCertificateFile_isRefused_withItsResolvedPath() {
        Map<String, String> values = bundle("ssl://broker.example:8883");
        values.put(MqttTls.CERTIFICATE_KEY, "device.crt");
        values.put(MqttTls.PRIVATE_KEY_KEY, "device.key");

        assertThatThrownBy(() -> AgentConfigLoader.fromMap(values, dir))
                .isInstanceOf(AgentConfigException.class)
                .hasMessageContaining("mqtt.tls.certificate: cannot read " + dir.resolve("device.crt"));
    }

    @Test
    void aFileWithoutACertificate_orAKeyThatIsNotPkcs8_isRefused() throws Exception {
        Files.writeString(dir.resolve("device.crt"), "not a certificate\n");
        Files.writeString(dir.resolve("device.key"), "-----BEGIN EC PRIVATE KEY-----\nAAAA\n-----END EC PRIVATE KEY-----\n");
        Map<String, String> values = bundle("ssl://broker.example:8883");
        values.put(MqttTls.CERTIFICATE_KEY, "device.crt");
        values.put(MqttTls.PRIVATE_KEY_KEY, "device.key");

        assertThatThrownBy(() -> AgentConfigLoader.fromMap(values, dir))
                .isInstanceOf(AgentConfigException.class).hasMessageContaining("mqtt.tls.certificate").hasMessageContaining("no PEM certificate");
        assertThatThrownBy(() -> MqttTls.load(dir.resolve("device.key"), dir.resolve("device.key"), null))
                .isInstanceOf(AgentConfigException.class).hasMessageContaining("mqtt.tls.certificate");
    }

    @Test
    void theKeyManagers_offerTheDeviceKeyAndItsCertificate_forAnEcServer() throws Exception {
        java.security.KeyPair ca = io.latchkey.agent.TestDeviceKey.generate();
        java.security.KeyPair device = io.latchkey.agent.TestDeviceKey.generate();
        java.security.cert.X509Certificate certificate = io.latchkey.agent.identity.TestCertificates.issue(ca, device.getPublic(),
                "acme", "dev-001", java.time.Instant.now().minusSeconds(60), java.time.Instant.now().plusSeconds(3600), 7);
        MqttTls tls = MqttTls.of(java.util.List.of(certificate), device.getPrivate(), java.util.List.of());

        javax.net.ssl.X509KeyManager keys = (javax.net.ssl.X509KeyManager) tls.keyManagerFactory().getKeyManagers()[0];
        String alias = keys.chooseClientAlias(new String[] {"EC"}, null, null);

        org.assertj.core.api.Assertions.assertThat(alias).isNotNull();
        org.assertj.core.api.Assertions.assertThat(keys.getPrivateKey(alias).getEncoded()).isEqualTo(device.getPrivate().getEncoded());
        org.assertj.core.api.Assertions.assertThat(keys.getCertificateChain(alias)).containsExactly(certificate);
        org.assertj.core.api.Assertions.assertThat(keys.chooseClientAlias(new String[] {"RSA"}, null, null)).isNull();
    }
}
