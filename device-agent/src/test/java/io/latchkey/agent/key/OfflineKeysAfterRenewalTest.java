package io.latchkey.agent.key;

import static org.assertj.core.api.Assertions.assertThat;

import io.latchkey.agent.FakeBrokerConnection;
import io.latchkey.agent.MutableClock;
import io.latchkey.agent.TestCloud;
import io.latchkey.agent.TestDeviceKey;
import io.latchkey.agent.config.AgentConfig;
import io.latchkey.agent.identity.CertificateRenewal;
import io.latchkey.agent.identity.TestCertificates;
import io.latchkey.agent.mqtt.BrokerConnection;
import io.latchkey.agent.mqtt.MqttTls;
import io.latchkey.hal.gnss.FixedGnss;
import io.latchkey.hal.key.SimulatedBleKeyLink;
import io.latchkey.hal.lock.SimulatedCentralLocking;
import io.latchkey.protocol.Channel;
import io.latchkey.protocol.identity.RenewalAnswer;
import io.latchkey.protocol.identity.RenewalRequest;
import io.latchkey.protocol.key.KeyMessages;
import io.latchkey.protocol.key.KeyRight;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.X509EncodedKeySpec;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.bouncycastle.asn1.pkcs.CertificationRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * docs/offline-keys.md, "A renewed device key": a credential names the car's device key ({@code devicePublicKey}) and
 * the phone checks the car's BLE answer with it. After the car renewed its certificate with a new key, a borrower whose
 * phone holds a credential issued before still opens the car offline and still trusts its answer: the car answers
 * each phone with the key its credential names. Renewed through the real {@link CertificateRenewal}, restarted on the
 * identity it stored ({@link CertificateRenewal#effective}).
 */
class OfflineKeysAfterRenewalTest {
    static final Instant T0 = Instant.parse("2026-12-05T10:00:00Z");
    static final Set<KeyRight> UNLOCK_LOCK = Set.of(KeyRight.UNLOCK, KeyRight.LOCK);

    final MutableClock clock = new MutableClock(T0);
    final TestCloud cloud = new TestCloud("acme", clock);
    final SimulatedCentralLocking wiring = new SimulatedCentralLocking(true, () -> false);
    final AtomicLong nanos = new AtomicLong(1_000_000_000L);
    final KeyPair ca = TestDeviceKey.generate();
    final KeyPair provisioned = TestDeviceKey.generate();
    KeyCar car;

    @TempDir
    Path dir;

    @AfterEach
    void stop() {
        if (car != null) {
            car.close();
        }
    }

    private AgentConfig provisionedConfig(boolean renewWithNewKey) throws Exception {
        X509Certificate first = TestCertificates.issue(ca, provisioned.getPublic(), "acme", "dev-1", T0.minus(Duration.ofDays(300)),
                T0.plus(Duration.ofDays(65)), 1);
        return AgentConfig.builder().tenant("acme").deviceId("dev-1").mqttUrl("ssl://127.0.0.1:8883")
                .commandKey(TestCloud.KEY_ID, cloud.publicKeyBase64())
                .tls(MqttTls.of(List.of(first), provisioned.getPrivate(), List.of())).renewal(0.66, renewWithNewKey).dataDir(dir).build();
    }

    /**
     * The real renewal: due, asked over MQTT, answered by the device CA with a certificate valid from {@code notBefore}
     * to {@code notAfter}, stored; returns the key it was renewed for.
     */
    private PublicKey renew(AgentConfig config, long serial, Instant notBefore, Instant notAfter) throws Exception {
        FakeBrokerConnection broker = new FakeBrokerConnection(new byte[0]);
        broker.start(new BrokerConnection.Listener() {
            public void connected() { }
            public void disconnected(Throwable cause) { }
            public void command(byte[] payload) { }
            public void receipt(byte[] payload) { }
        });
        broker.connect();
        AtomicInteger restarts = new AtomicInteger();
        CertificateRenewal renewal = new CertificateRenewal(config, broker, clock, new SecureRandom(), restarts::incrementAndGet);
        renewal.check();
        List<FakeBrokerConnection.Published> asked = broker.on(Channel.CSR);
        RenewalRequest request = RenewalRequest.parse(asked.get(asked.size() - 1).payload());
        PublicKey next = requestedKey(request.csr());
        X509Certificate renewed = TestCertificates.issue(ca, next, "acme", "dev-1", notBefore, notAfter, serial);
        renewal.answer(new RenewalAnswer(request.requestId(), RenewalAnswer.ISSUED, TestCertificates.pem(renewed), List.of(),
                Long.toString(serial), null).toJson());
        assertThat(restarts).as("stored and switched: the agent restarts on it").hasValue(1);
        return next;
    }

    private KeyCar start(AgentConfig config) {
        if (car != null) {
            car.close();
        }
        car = new KeyCar(cloud, clock, nanos, new FixedGnss(52.5, 13.4, clock), wiring, null, config);
        return car;
    }

    /** A whole BLE use of {@code phone}; whether the phone trusts the car's signed answer. */
    private boolean opensAndTheAnswerVerifies(VirtualPhone phone, KeyRight action) {
        SimulatedBleKeyLink.Phone link = car.ble.connect();
        KeyMessages.Challenge challenge = (KeyMessages.Challenge) phone.hello(link, null);
        KeyMessages.Result result = phone.request(link, action);
        assertThat(result.outcome()).isEqualTo("EXECUTED");
        return phone.key.verifyResult(result, challenge, action);
    }

    @Test
    void aPhoneWhoseCredentialNamesTheKeyBeforeTheRenewal_stillOpens_andTrustsTheCarsAnswer() throws Exception {
        AgentConfig config = provisionedConfig(true);
        // issued while the provisioned key was the car's: it names that key
        VirtualPhone before = start(config).phone("key-00000000000000b1", UNLOCK_LOCK, T0.minusSeconds(600), T0.plusSeconds(7200),
                T0.minusSeconds(900), provisioned.getPublic());
        assertThat(opensAndTheAnswerVerifies(before, KeyRight.UNLOCK)).isTrue();
        car.close();
        car = null;

        // (valid long enough ago that it is due for renewal again below)
        PublicKey renewedKey = renew(config, 2, T0.minus(Duration.ofDays(250)), T0.plus(Duration.ofDays(100)));
        AgentConfig restarted = CertificateRenewal.effective(config);
        assertThat(restarted.tls().certificate().getPublicKey().getEncoded()).as("the new key is the car's now")
                .isEqualTo(renewedKey.getEncoded()).isNotEqualTo(provisioned.getPublic().getEncoded());
        assertThat(restarted.earlierDeviceKeys()).extracting(k -> k.getPublic().getEncoded())
                .containsExactly(provisioned.getPublic().getEncoded());
        // a generation stored but never switched to (a power cut before the pointer's rename) is no earlier key
        KeyPair stray = TestDeviceKey.generate();
        Path strayDir = java.nio.file.Files.createDirectories(dir.resolve("identity/99"));
        java.nio.file.Files.writeString(strayDir.resolve("device.crt"), TestCertificates.pem(TestCertificates.issue(ca, stray.getPublic(),
                "acme", "dev-1", T0.minusSeconds(60), T0.plus(Duration.ofDays(365)), 99)));
        java.nio.file.Files.writeString(strayDir.resolve("device.key"), "-----BEGIN PRIVATE KEY-----\n"
                + java.util.Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(stray.getPrivate().getEncoded())
                + "\n-----END PRIVATE KEY-----\n");
        assertThat(CertificateRenewal.effective(config).earlierDeviceKeys()).extracting(k -> k.getPublic().getEncoded())
                .containsExactly(provisioned.getPublic().getEncoded());
        java.nio.file.Files.writeString(strayDir.resolve("device.key"), "garbage"); // and an unreadable one is skipped
        assertThat(CertificateRenewal.effective(config).earlierDeviceKeys()).hasSize(1);
        deleteTree(strayDir);

        start(restarted);
        assertThat(opensAndTheAnswerVerifies(before, KeyRight.LOCK)).as("the credential from before the renewal").isTrue();
        VirtualPhone after = car.phone("key-00000000000000b2", UNLOCK_LOCK, T0.minusSeconds(600), T0.plusSeconds(7200), T0.minusSeconds(60),
                renewedKey);
        assertThat(opensAndTheAnswerVerifies(after, KeyRight.UNLOCK)).as("one issued for the new key").isTrue();
        VirtualPhone stranger = car.phone("key-00000000000000b3", UNLOCK_LOCK, T0.minusSeconds(600), T0.plusSeconds(7200), T0.minusSeconds(60),
                TestDeviceKey.generate().getPublic());
        assertThat(opensAndTheAnswerVerifies(stranger, KeyRight.LOCK))
                .as("a key the car never had is not used: the answer is the current key's, which that phone does not trust").isFalse();

        // a second renewal: both earlier keys answer their phones, the newest first
        PublicKey third = renew(restarted, 3, T0.minus(Duration.ofMinutes(5)), T0.plus(Duration.ofDays(365)));
        AgentConfig again = CertificateRenewal.effective(config);
        assertThat(again.earlierDeviceKeys()).extracting(k -> k.getPublic().getEncoded())
                .containsExactly(renewedKey.getEncoded(), provisioned.getPublic().getEncoded());
        start(again);
        assertThat(again.tls().certificate().getPublicKey().getEncoded()).isEqualTo(third.getEncoded());
        assertThat(opensAndTheAnswerVerifies(before, KeyRight.UNLOCK)).isTrue();
        assertThat(opensAndTheAnswerVerifies(after, KeyRight.LOCK)).isTrue();
    }

    @Test
    void aSameKeyRenewal_hasNoEarlierKey_andNeverRenewed_neither() throws Exception {
        AgentConfig config = provisionedConfig(false);
        assertThat(CertificateRenewal.effective(config).earlierDeviceKeys()).isEmpty();
        renew(config, 2, T0.minus(Duration.ofMinutes(5)), T0.plus(Duration.ofDays(365)));
        AgentConfig restarted = CertificateRenewal.effective(config);
        assertThat(restarted.tls().certificate().getSerialNumber()).hasToString("2");
        assertThat(restarted.earlierDeviceKeys()).isEmpty();
        VirtualPhone phone = start(restarted).phone("key-00000000000000c1", UNLOCK_LOCK, T0.minusSeconds(600), T0.plusSeconds(7200),
                T0.minusSeconds(900), provisioned.getPublic());
        assertThat(opensAndTheAnswerVerifies(phone, KeyRight.UNLOCK)).isTrue();
    }

    private static void deleteTree(Path p) throws java.io.IOException {
        try (var files = java.nio.file.Files.walk(p)) {
            for (Path f : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                java.nio.file.Files.delete(f);
            }
        }
    }

    private static PublicKey requestedKey(String csrPem) throws Exception {
        String body = csrPem.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
        CertificationRequest request = CertificationRequest.getInstance(java.util.Base64.getDecoder().decode(body));
        return KeyFactory.getInstance("EC").generatePublic(new X509EncodedKeySpec(
                request.getCertificationRequestInfo().getSubjectPublicKeyInfo().getEncoded()));
    }
}
