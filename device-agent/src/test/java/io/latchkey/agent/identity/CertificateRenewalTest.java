package io.latchkey.agent.identity;

import static org.assertj.core.api.Assertions.assertThat;

import io.latchkey.agent.FakeBrokerConnection;
import io.latchkey.agent.MutableClock;
import io.latchkey.agent.TestDeviceKey;
import io.latchkey.agent.config.AgentConfig;
import io.latchkey.agent.mqtt.BrokerConnection;
import io.latchkey.agent.mqtt.MqttTls;
import io.latchkey.protocol.Channel;
import io.latchkey.protocol.Keys;
import io.latchkey.protocol.identity.RenewalAnswer;
import io.latchkey.protocol.identity.RenewalRequest;
import java.nio.file.Files;
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
import java.util.concurrent.atomic.AtomicInteger;
import org.bouncycastle.asn1.pkcs.CertificationRequest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CertificateRenewalTest {
    private static final Instant NOW = Instant.parse("2026-12-06T01:00:00Z");
    private final KeyPair ca = TestDeviceKey.generate();
    private final KeyPair current = TestDeviceKey.generate();
    private final MutableClock clock = new MutableClock(NOW);
    private final AtomicInteger restarts = new AtomicInteger();
    @TempDir
    Path dir;

    private AgentConfig config(X509Certificate certificate, KeyPair key, boolean newKey) {
        return AgentConfig.builder().tenant("acme").deviceId("dev-001").mqttUrl("ssl://127.0.0.1:8883")
                .commandKey("cmd-1", Keys.encodePublic(Keys.newCommandKeyPair().getPublic()))
                .tls(MqttTls.of(List.of(certificate), key.getPrivate(), List.of())).renewal(0.66, newKey).dataDir(dir).build();
    }

    private FakeBrokerConnection connected() {
        FakeBrokerConnection broker = new FakeBrokerConnection(new byte[0]);
        broker.start(new BrokerConnection.Listener() {
            public void connected() { }
            public void disconnected(Throwable cause) { }
            public void command(byte[] payload) { }
            public void receipt(byte[] payload) { }
        });
        broker.connect();
        return broker;
    }

    private static PublicKey requestedKey(String csrPem) throws Exception {
        String body = csrPem.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
        CertificationRequest request = CertificationRequest.getInstance(java.util.Base64.getDecoder().decode(body));
        return KeyFactory.getInstance("EC").generatePublic(new X509EncodedKeySpec(
                request.getCertificationRequestInfo().getSubjectPublicKeyInfo().getEncoded()));
    }

    @Test
    void onThePlainDevelopmentListenerItDoesNotRenew() throws Exception {
        X509Certificate old = TestCertificates.issue(ca, current.getPublic(), "acme", "dev-001", NOW.minus(Duration.ofDays(300)),
                NOW.plus(Duration.ofDays(65)), 1);
        FakeBrokerConnection broker = connected();
        new CertificateRenewal(config(old, current, true).toBuilder().mqttUrl("tcp://127.0.0.1:1883").build(), broker, clock,
                new SecureRandom(), restarts::incrementAndGet).check();
        assertThat(broker.on(Channel.CSR)).isEmpty();
    }

    @Test
    void notDueBeforeTheConfiguredFractionOfTheLifetime() throws Exception {
        X509Certificate young = TestCertificates.issue(ca, current.getPublic(), "acme", "dev-001", NOW.minus(Duration.ofDays(200)),
                NOW.plus(Duration.ofDays(165)), 1);
        FakeBrokerConnection broker = connected();
        new CertificateRenewal(config(young, current, true), broker, clock, new SecureRandom(), restarts::incrementAndGet).check();
        assertThat(broker.on(Channel.CSR)).isEmpty();
    }

    @Test
    void dueItAsksWithANewKey_storesTheAnswerAtomically_restarts_andConfirmsWithTheNewKey() throws Exception {
        X509Certificate old = TestCertificates.issue(ca, current.getPublic(), "acme", "dev-001", NOW.minus(Duration.ofDays(300)),
                NOW.plus(Duration.ofDays(65)), 1);
        AgentConfig config = config(old, current, true);
        FakeBrokerConnection broker = connected();
        CertificateRenewal renewal = new CertificateRenewal(config, broker, clock, new SecureRandom(), restarts::incrementAndGet);

        renewal.check();
        renewal.check(); // once an hour at most
        assertThat(broker.on(Channel.CSR)).hasSize(1);
        RenewalRequest request = RenewalRequest.parse(broker.on(Channel.CSR).get(0).payload());
        assertThat(request.type()).isEqualTo(RenewalRequest.Type.RENEW);
        assertThat(request.serial()).isEqualTo("1");
        assertThat(request.signedBy(current.getPublic())).isTrue();
        PublicKey next = requestedKey(request.csr());
        assertThat(next.getEncoded()).isNotEqualTo(current.getPublic().getEncoded());

        // an answer to another request, and a certificate for another key, are ignored
        X509Certificate renewed = TestCertificates.issue(ca, next, "acme", "dev-001", NOW, NOW.plus(Duration.ofDays(365)), 2);
        renewal.answer(new RenewalAnswer("someone-else", RenewalAnswer.ISSUED, TestCertificates.pem(renewed), List.of(), "2", null).toJson());
        X509Certificate foreign = TestCertificates.issue(ca, TestDeviceKey.generate().getPublic(), "acme", "dev-001", NOW,
                NOW.plus(Duration.ofDays(365)), 3);
        renewal.answer(new RenewalAnswer(request.requestId(), RenewalAnswer.ISSUED, TestCertificates.pem(foreign), List.of(), "3", null).toJson());
        assertThat(restarts).hasValue(0);
        assertThat(CertificateRenewal.effective(config).tls().certificate()).isEqualTo(old);

        renewal.answer(new RenewalAnswer(request.requestId(), RenewalAnswer.ISSUED, TestCertificates.pem(renewed), List.of(), "2", null).toJson());
        assertThat(restarts).hasValue(1);
        assertThat(Files.readString(dir.resolve("identity/current")).strip()).isEqualTo("2");
        assertThat(dir.resolve("identity/pending.json")).doesNotExist();
        assertThat(dir.resolve("identity/2/device.key")).exists();
        if (dir.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            assertThat(java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("identity/2/device.key"))))
                    .isEqualTo("rw-------");
        }

        // after the restart: the renewed identity, and its first connection confirms it, signed by the new key
        AgentConfig restarted = CertificateRenewal.effective(config);
        assertThat(restarted.tls().certificate()).isEqualTo(renewed);
        FakeBrokerConnection again = connected();
        CertificateRenewal after = new CertificateRenewal(restarted, again, clock, new SecureRandom(), restarts::incrementAndGet);
        after.connected();
        RenewalRequest inUse = RenewalRequest.parse(again.on(Channel.CSR).get(0).payload());
        assertThat(inUse.type()).isEqualTo(RenewalRequest.Type.IN_USE);
        assertThat(inUse.serial()).isEqualTo("2");
        assertThat(inUse.requestId()).isEqualTo(request.requestId());
        assertThat(inUse.signedBy(next)).isTrue();
        assertThat(inUse.signedBy(current.getPublic())).isFalse();
        after.answer(new RenewalAnswer(request.requestId(), RenewalAnswer.IN_USE, null, null, "1", null).toJson());
        after.connected();
        assertThat(again.on(Channel.CSR)).hasSize(1);
        // and the renewed certificate is not due for a long time
        after.check();
        assertThat(again.on(Channel.CSR)).hasSize(1);
    }

    @Test
    void expiredWhileOffline_itRecoversByTheBackendsRenewalEndpoint_signedByTheExpiredKey() throws Exception {
        X509Certificate expired = TestCertificates.issue(ca, current.getPublic(), "acme", "dev-001", NOW.minus(Duration.ofDays(370)),
                NOW.minus(Duration.ofDays(5)), 4);
        List<RenewalRequest> received = new java.util.concurrent.CopyOnWriteArrayList<>();
        com.sun.net.httpserver.HttpServer server = com.sun.net.httpserver.HttpServer.create(new java.net.InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/t/acme/devices/dev-001/renewal", exchange -> {
            RenewalRequest request = RenewalRequest.parse(exchange.getRequestBody().readAllBytes());
            received.add(request);
            byte[] body;
            try {
                X509Certificate renewed = TestCertificates.issue(ca, requestedKey(request.csr()), "acme", "dev-001", NOW,
                        NOW.plus(Duration.ofDays(365)), 5);
                body = io.latchkey.protocol.Json.write(java.util.Map.of("requestId", request.requestId(), "outcome", "ISSUED",
                        "certificate", TestCertificates.pem(renewed), "caChain", List.of(), "serial", "5"));
            } catch (Exception e) {
                throw new java.io.IOException(e);
            }
            exchange.sendResponseHeaders(201, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        try {
            AgentConfig config = config(expired, current, true).toBuilder()
                    .recoveryUrl("http://127.0.0.1:" + server.getAddress().getPort() + "/").build();
            FakeBrokerConnection offline = new FakeBrokerConnection(new byte[0]); // never connects: the broker refuses it
            new CertificateRenewal(config, offline, clock, new SecureRandom(), restarts::incrementAndGet).check();
            assertThat(received).hasSize(1);
            assertThat(received.get(0).signedBy(current.getPublic())).isTrue();
            assertThat(received.get(0).serial()).isEqualTo("4");
            assertThat(offline.on(Channel.CSR)).isEmpty();
            assertThat(restarts).hasValue(1);
            assertThat(CertificateRenewal.effective(config).tls().certificate().getSerialNumber().longValue()).isEqualTo(5);
            // without a recovery URL an expired device does not try
            FakeBrokerConnection other = new FakeBrokerConnection(new byte[0]);
            new CertificateRenewal(config(expired, current, true), other, clock, new SecureRandom(), restarts::incrementAndGet).check();
            assertThat(received).hasSize(1);
        } finally {
            server.stop(0);
        }
    }

    @Test
    void withSameKeyRenewalTheRequestCarriesTheCurrentKey_andARefusalIsAskedAgainAnHourLater() throws Exception {
        X509Certificate old = TestCertificates.issue(ca, current.getPublic(), "acme", "dev-001", NOW.minus(Duration.ofDays(300)),
                NOW.plus(Duration.ofDays(65)), 7);
        FakeBrokerConnection broker = connected();
        CertificateRenewal renewal = new CertificateRenewal(config(old, current, false), broker, clock, new SecureRandom(), restarts::incrementAndGet);
        renewal.check();
        RenewalRequest request = RenewalRequest.parse(broker.on(Channel.CSR).get(0).payload());
        assertThat(requestedKey(request.csr()).getEncoded()).isEqualTo(current.getPublic().getEncoded());
        renewal.answer(new RenewalAnswer(request.requestId(), RenewalAnswer.REFUSED, null, null, "7", "a renewal must bring a new key").toJson());
        assertThat(restarts).hasValue(0);
        clock.advance(Duration.ofMinutes(59));
        renewal.check();
        assertThat(broker.on(Channel.CSR)).hasSize(1);
        clock.advance(Duration.ofMinutes(2));
        renewal.check();
        assertThat(broker.on(Channel.CSR)).hasSize(2);
        assertThat(RenewalRequest.parse(broker.on(Channel.CSR).get(1).payload()).requestId()).isEqualTo(request.requestId());
    }
}
