package io.latchkey.cloud.device;

import static io.latchkey.cloud.it.CloudApp.expect;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import io.latchkey.cloud.it.CloudApp;
import io.latchkey.cloud.pki.Pem;
import io.latchkey.cloud.pki.TestCsrs;
import io.latchkey.protocol.device.DeviceSigner;
import io.latchkey.protocol.identity.CertificateRequests;
import io.latchkey.protocol.identity.RenewalAnswer;
import io.latchkey.protocol.identity.RenewalRequest;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Certificate renewal over the device's own mutual-TLS connection (docs/device-identity.md, "Renewal"): a request on
 * {@code csr} signed by the current key gets a new certificate on {@code cert}; the new one connects; the device's word
 * that it is in use, signed by the new key, revokes the old one (the broker refuses it from then on). Refused: another
 * device's CSR, a request not signed by the current key, another device's certificate's serial, the same key without
 * the policy, a revoked device, a certificate expired longer than the grace period. Every outcome is audited.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DeviceRenewalIT {
    @TempDir
    static Path dataDir;
    CloudApp app;
    String admin;
    String installer;

    record Device(String id, KeyPair keys, JsonNode issued) {
        String serial() {
            return Pem.certificate(issued.path("certificate").asText()).getSerialNumber().toString(16);
        }
    }

    @BeforeAll
    void start() {
        app = CloudApp.start(dataDir, Map.of());
        admin = app.tenantWithAdmin("acme");
        installer = app.user("acme", admin, "ian@acme.test", "installer");
        String operator = app.user("acme", admin, "olga@acme.test", "operator");
        for (int i = 1; i <= 7; i++) {
            app.car("acme", operator, "car-" + i, "dev-00" + i);
        }
    }

    @AfterAll
    void stop() {
        if (app != null) {
            app.close();
        }
    }

    @Test
    void aDeviceRenewsWithANewKey_connectsWithIt_andTheOldCertificateIsRevokedOnceTheNewOneIsInUse() throws Exception {
        Device device = provision("dev-001", "car-1");
        Mqtt5AsyncClient old = DeviceIdentityIT.connect(device.issued(), device.keys(), "acme:dev-001");
        BlockingQueue<RenewalAnswer> answers = answers(old, "dev-001");

        KeyPair next = TestCsrs.p256();
        RenewalRequest request = RenewalRequest.signed(RenewalRequest.Type.RENEW, "r-1", device.serial(),
                CertificateRequests.pem(next, "acme", "dev-001"), new DeviceSigner(device.keys().getPrivate()));
        publish(old, "dev-001", request);
        RenewalAnswer answer = answers.poll(20, TimeUnit.SECONDS);
        assertThat(answer).isNotNull();
        assertThat(answer.outcome()).as(answer.reason()).isEqualTo(RenewalAnswer.ISSUED);
        assertThat(answer.requestId()).isEqualTo("r-1");
        java.security.cert.X509Certificate renewed = Pem.certificate(answer.certificate());
        assertThat(renewed.getPublicKey().getEncoded()).isEqualTo(next.getPublic().getEncoded());
        assertThat(renewed.getSubjectX500Principal().getName()).contains("CN=dev-001").contains("O=acme");
        assertThat(answer.serial()).isEqualTo(renewed.getSerialNumber().toString(16)).isNotEqualTo(device.serial());
        // until the device uses it, the old one is still its identity
        assertThat(identities().find("acme", "dev-001").orElseThrow().serial()).isEqualTo(device.serial());

        // the same request again (the answer was lost): the same certificate, not a second one
        publish(old, "dev-001", request);
        assertThat(answers.poll(20, TimeUnit.SECONDS).serial()).isEqualTo(answer.serial());
        old.disconnect().get(5, TimeUnit.SECONDS);

        JsonNode renewedIssued = device.issued().deepCopy();
        ((com.fasterxml.jackson.databind.node.ObjectNode) renewedIssued).put("certificate", answer.certificate());
        Mqtt5AsyncClient fresh = DeviceIdentityIT.connect(renewedIssued, next, "acme:dev-001");
        BlockingQueue<RenewalAnswer> freshAnswers = answers(fresh, "dev-001");
        // a confirmation signed by the old key is refused
        publish(fresh, "dev-001", RenewalRequest.signed(RenewalRequest.Type.IN_USE, "r-1", answer.serial(), null,
                new DeviceSigner(device.keys().getPrivate())));
        assertThat(freshAnswers.poll(20, TimeUnit.SECONDS).outcome()).isEqualTo(RenewalAnswer.REFUSED);
        publish(fresh, "dev-001", RenewalRequest.signed(RenewalRequest.Type.IN_USE, "r-1", answer.serial(), null,
                new DeviceSigner(next.getPrivate())));
        RenewalAnswer inUse = freshAnswers.poll(20, TimeUnit.SECONDS);
        assertThat(inUse.outcome()).as(inUse.reason()).isEqualTo(RenewalAnswer.IN_USE);
        assertThat(inUse.serial()).isEqualTo(device.serial());

        DeviceIdentityRecord record = identities().find("acme", "dev-001").orElseThrow();
        assertThat(record.serial()).isEqualTo(answer.serial());
        assertThat(record.renewal()).isNull();
        assertThat(identities().activePublicKeyInfo("acme", "dev-001").orElseThrow()).isEqualTo(next.getPublic().getEncoded());
        // the old certificate is revoked: the broker refuses it, and the CRL lists it
        assertThat(DeviceIdentityIT.tryConnect(device.issued(), device.keys(), "acme:dev-001")).isFalse();
        assertThat(authorities().revocations().isRevoked("acme", new java.math.BigInteger(device.serial(), 16))).isTrue();
        fresh.disconnect().get(5, TimeUnit.SECONDS);
        assertThat(DeviceIdentityIT.tryConnect(renewedIssued, next, "acme:dev-001")).isTrue();

        List<String> trail = trail();
        assertThat(trail).anyMatch(a -> a.startsWith("device.certificate-renewed device/dev-001 car/car-1 serial/" + answer.serial())
                && a.contains("replaces " + device.serial()) && a.endsWith("OK"));
        assertThat(trail).anyMatch(a -> a.startsWith("device.certificate-revoked device/dev-001 car/car-1 serial/" + device.serial())
                && a.contains("superseded by renewal"));
        assertThat(trail).anyMatch(a -> a.startsWith("device.certificate-renewal device/dev-001") && a.endsWith("REFUSED"));
        assertThat(expect(200, app.http.get("/t/acme/audit/verify", admin)).json().path("status").asText()).isEqualTo("OK");
    }

    @Test
    void anotherDevicesCsr_aForeignSignature_anotherSerial_andTheSameKeyAreRefused_andNothingChanges() throws Exception {
        Device device = provision("dev-002", "car-2");
        Device other = provision("dev-003", "car-3");
        Mqtt5AsyncClient client = DeviceIdentityIT.connect(device.issued(), device.keys(), "acme:dev-002");
        BlockingQueue<RenewalAnswer> answers = answers(client, "dev-002");
        DeviceSigner own = new DeviceSigner(device.keys().getPrivate());
        KeyPair next = TestCsrs.p256();

        // a CSR naming another device
        publish(client, "dev-002", RenewalRequest.signed(RenewalRequest.Type.RENEW, "a", device.serial(),
                CertificateRequests.pem(next, "acme", "dev-003"), own));
        assertRefused(answers, "another identity");
        // another tenant
        publish(client, "dev-002", RenewalRequest.signed(RenewalRequest.Type.RENEW, "b", device.serial(),
                CertificateRequests.pem(next, "globex", "dev-002"), own));
        assertRefused(answers, "another identity");
        // signed by a key that is not the device's (here: the other device's)
        publish(client, "dev-002", RenewalRequest.signed(RenewalRequest.Type.RENEW, "c", device.serial(),
                CertificateRequests.pem(next, "acme", "dev-002"), new DeviceSigner(other.keys().getPrivate())));
        assertRefused(answers, "not signed by the key");
        // naming the other device's certificate
        publish(client, "dev-002", RenewalRequest.signed(RenewalRequest.Type.RENEW, "d", other.serial(),
                CertificateRequests.pem(next, "acme", "dev-002"), new DeviceSigner(other.keys().getPrivate())));
        assertRefused(answers, "not the device's active one");
        // the same key, with allow-same-key off (the default)
        publish(client, "dev-002", RenewalRequest.signed(RenewalRequest.Type.RENEW, "e", device.serial(),
                CertificateRequests.pem(device.keys(), "acme", "dev-002"), own));
        assertRefused(answers, "new key");
        // an in-use word for a renewal that never happened
        publish(client, "dev-002", RenewalRequest.signed(RenewalRequest.Type.IN_USE, "f", device.serial(), null, own));
        assertRefused(answers, "no pending renewal");
        // a device cannot even ask on another device's topic: the broker refuses the publication
        assertThatThrownBy(() -> client.publishWith().topic("lk/acme/dev-003/csr").qos(MqttQos.AT_LEAST_ONCE)
                .payload(RenewalRequest.signed(RenewalRequest.Type.RENEW, "g", other.serial(),
                        CertificateRequests.pem(next, "acme", "dev-003"), own).toJson()).send().get(10, TimeUnit.SECONDS))
                .isNotNull();

        DeviceIdentityRecord record = identities().find("acme", "dev-002").orElseThrow();
        assertThat(record.serial()).isEqualTo(device.serial());
        assertThat(record.renewal()).isNull();
        assertThat(identities().find("acme", "dev-003").orElseThrow().renewal()).isNull();
        assertThat(trail().stream().filter(a -> a.startsWith("device.certificate-renewal device/dev-002") && a.endsWith("REFUSED")))
                .hasSizeGreaterThanOrEqualTo(5);
    }

    @Test
    void aRevokedDevice_andOneExpiredLongerThanTheGracePeriod_mustBeProvisionedAgain_butOneWithinTheGraceRenews() {
        Device revoked = provision("dev-004", "car-4");
        expect(200, app.http.postJson("/t/acme/devices/dev-004/decommission", installer, Map.of("reason", "stolen")));
        assertThatThrownBy(() -> identities().renew("acme", "dev-004", RenewalRequest.signed(RenewalRequest.Type.RENEW, "x",
                revoked.serial(), CertificateRequests.pem(TestCsrs.p256(), "acme", "dev-004"), new DeviceSigner(revoked.keys().getPrivate()))))
                .isInstanceOf(RenewalRefusedException.class).hasMessageContaining("revoked");

        Device expiring = provision("dev-005", "car-5");
        DeviceSigner signer = new DeviceSigner(expiring.keys().getPrivate());
        try {
            // offline across its expiry, back 29 days later: the grace period (30 days by default) lets it renew
            app.clock().advance(Duration.ofDays(365 + 29));
            var issued = identities().renew("acme", "dev-005", RenewalRequest.signed(RenewalRequest.Type.RENEW, "late",
                    expiring.serial(), CertificateRequests.pem(TestCsrs.p256(), "acme", "dev-005"), signer));
            assertThat(issued.certificate().getNotAfter().toInstant()).isAfter(app.clock().instant().plus(Duration.ofDays(364)));
            // two more days: past the grace period
            app.clock().advance(Duration.ofDays(2));
            assertThatThrownBy(() -> identities().renew("acme", "dev-005", RenewalRequest.signed(RenewalRequest.Type.RENEW, "later",
                    expiring.serial(), CertificateRequests.pem(TestCsrs.p256(), "acme", "dev-005"), signer)))
                    .isInstanceOf(RenewalRefusedException.class).hasMessageContaining("grace period");
        } finally {
            app.clock().reset();
        }
        assertThat(trail()).anyMatch(a -> a.startsWith("device.certificate-renewed device/dev-005") && a.contains("within the grace period"));
    }

    @Test
    void anExpiredDeviceRecoversByTheRenewalEndpoint_withoutAToken_andForgeriesAreRefused() throws Exception {
        Device device = provision("dev-007", "car-7");
        KeyPair next = TestCsrs.p256();
        try {
            app.clock().advance(Duration.ofDays(366));
            // the broker no longer takes the certificate
            assertThat(DeviceIdentityIT.tryConnect(device.issued(), device.keys(), "acme:dev-007")).isFalse();
            // signed by another key: 403, nothing issued
            RenewalRequest forged = RenewalRequest.signed(RenewalRequest.Type.RENEW, "x-1", device.serial(),
                    CertificateRequests.pem(next, "acme", "dev-007"), new DeviceSigner(TestCsrs.p256().getPrivate()));
            assertThat(app.http.postJson("/t/acme/devices/dev-007/renewal", null, body(forged)).status()).isEqualTo(403);
            assertThat(app.http.postJson("/t/acme/devices/dev-404/renewal", null, body(forged)).status()).isEqualTo(404);
            assertThat(app.http.postJson("/t/nowhere/devices/dev-007/renewal", null, body(forged)).status()).isEqualTo(404);
            assertThat(app.http.postJson("/t/acme/devices/dev-007/renewal", null, Map.of("type", "RENEW")).status()).isEqualTo(400);
            assertThat(identities().find("acme", "dev-007").orElseThrow().renewal()).isNull();

            RenewalRequest request = RenewalRequest.signed(RenewalRequest.Type.RENEW, "x-2", device.serial(),
                    CertificateRequests.pem(next, "acme", "dev-007"), new DeviceSigner(device.keys().getPrivate()));
            JsonNode renewed = expect(201, app.http.postJson("/t/acme/devices/dev-007/renewal", null, body(request))).json();
            assertThat(renewed.path("outcome").asText()).isEqualTo("ISSUED");
            assertThat(Pem.certificate(renewed.path("certificate").asText()).getPublicKey().getEncoded()).isEqualTo(next.getPublic().getEncoded());
        } finally {
            app.clock().reset();
        }
    }

    private static Map<String, String> body(RenewalRequest request) {
        return Map.of("type", request.type().name(), "requestId", request.requestId(), "serial", request.serial(), "csr", request.csr(),
                "signature", request.signature());
    }

    @Test
    void theDeviceFollowsThreeCommandKeyRotationsAndAKeySetKeyRotation_fromTheKeysPinnedAtProvisioning() throws Exception {
        Device device = provision("dev-006", "car-6");
        // what provisioning pins: the command keys and the key-set keys of the certificate answer
        java.util.Map<io.latchkey.protocol.identity.KeySet.Kind, java.util.Map<String, java.security.PublicKey>> pinned = new java.util.HashMap<>();
        java.util.Map<String, java.security.PublicKey> commandKeys = new java.util.LinkedHashMap<>();
        device.issued().path("commandKeys").forEach(k -> commandKeys.put(k.path("kid").asText(),
                io.latchkey.protocol.Keys.decodeCommandPublicKey(k.path("publicKey").asText())));
        java.util.Map<String, java.security.PublicKey> keySetKeys = new java.util.LinkedHashMap<>();
        device.issued().path("keySetKeys").forEach(k -> keySetKeys.put(k.path("kid").asText(),
                io.latchkey.protocol.Keys.decodeCommandPublicKey(k.path("publicKey").asText())));
        assertThat(keySetKeys).containsOnlyKeys("ks-1", "ks-2");
        pinned.put(io.latchkey.protocol.identity.KeySet.Kind.COMMAND, commandKeys);
        pinned.put(io.latchkey.protocol.identity.KeySet.Kind.KEYSET, keySetKeys);
        io.latchkey.protocol.identity.TrustedKeys[] held = {io.latchkey.protocol.identity.TrustedKeys.pinned("acme", pinned)};

        Mqtt5AsyncClient client = DeviceIdentityIT.connect(device.issued(), device.keys(), "acme:dev-006");
        BlockingQueue<byte[]> sets = new LinkedBlockingQueue<>();
        client.subscribeWith().topicFilter("lk/acme/dev-006/keys").qos(MqttQos.AT_LEAST_ONCE)
                .callback(p -> sets.add(p.getPayloadAsBytes())).send().get(10, TimeUnit.SECONDS);
        // the set published at provisioning waits, retained
        held[0] = held[0].accept(io.latchkey.protocol.identity.SignedKeySet.parse(sets.poll(20, TimeUnit.SECONDS)));
        long first = held[0].serial();
        for (String rotation : List.of("command", "keyset", "command", "keyset", "command")) {
            expect(200, app.http.postJson("/t/acme/keys/rotate", admin, Map.of("key", rotation)));
            byte[] set = sets.poll(20, TimeUnit.SECONDS);
            assertThat(set).as("a new set after rotating " + rotation).isNotNull();
            held[0] = held[0].accept(io.latchkey.protocol.identity.SignedKeySet.parse(set));
        }
        assertThat(held[0].serial()).isEqualTo(first + 5);
        assertThat(held[0].keys(io.latchkey.protocol.identity.KeySet.Kind.KEYSET)).containsOnlyKeys("ks-3", "ks-4");
        // three command rotations later the backend signs with a key the device never had pinned, and it verifies
        io.latchkey.protocol.command.SignedCommand signed = app.context().getBean(io.latchkey.cloud.tenant.CommandKeys.class).signer("acme")
                .sign(new io.latchkey.protocol.command.Command("c-9", "acme", "dev-006", io.latchkey.protocol.command.CommandType.UNLOCK,
                        java.time.Instant.now(), java.time.Instant.now().plusSeconds(30), "u-1"));
        assertThat(commandKeys).doesNotContainKey(signed.keyId());
        assertThat(new io.latchkey.protocol.command.CommandVerifier(held[0].commandAndIssuingKeys(), "acme", "dev-006",
                java.time.Clock.systemUTC(), Duration.ofSeconds(30)).verify(io.latchkey.protocol.Json.write(signed)).id()).isEqualTo("c-9");
        // a device never takes the same set twice, nor an older one
        io.latchkey.protocol.identity.SignedKeySet newest = held[0].source().orElseThrow();
        assertThatThrownBy(() -> held[0].accept(newest)).isInstanceOf(io.latchkey.protocol.identity.KeySetRejectedException.class);
        client.disconnect().get(5, TimeUnit.SECONDS);
    }

    private void assertRefused(BlockingQueue<RenewalAnswer> answers, String reason) throws InterruptedException {
        RenewalAnswer answer = answers.poll(20, TimeUnit.SECONDS);
        assertThat(answer).isNotNull();
        assertThat(answer.outcome()).isEqualTo(RenewalAnswer.REFUSED);
        assertThat(answer.reason()).contains(reason);
    }

    private Device provision(String deviceId, String carId) {
        KeyPair keys = TestCsrs.p256();
        JsonNode issued = expect(201, app.http.postJson("/t/acme/devices/" + deviceId + "/certificate", installer,
                Map.of("carId", carId, "csr", TestCsrs.csr("CN=" + deviceId + ",O=acme", keys)))).json();
        return new Device(deviceId, keys, issued);
    }

    private DeviceIdentities identities() {
        return app.context().getBean(DeviceIdentities.class);
    }

    private DeviceAuthorities authorities() {
        return app.context().getBean(DeviceAuthorities.class);
    }

    private List<String> trail() {
        JsonNode audit = expect(200, app.http.get("/t/acme/audit?limit=1000", admin)).json();
        List<String> trail = new ArrayList<>();
        audit.forEach(r -> trail.add(r.path("action").asText() + " " + r.path("subject").asText() + " " + r.path("outcome").asText()));
        return trail;
    }

    private static BlockingQueue<RenewalAnswer> answers(Mqtt5AsyncClient client, String deviceId) throws Exception {
        BlockingQueue<RenewalAnswer> answers = new LinkedBlockingQueue<>();
        client.subscribeWith().topicFilter("lk/acme/" + deviceId + "/cert").qos(MqttQos.AT_LEAST_ONCE)
                .callback(p -> answers.add(RenewalAnswer.parse(p.getPayloadAsBytes()))).send().get(10, TimeUnit.SECONDS);
        return answers;
    }

    private static void publish(Mqtt5AsyncClient client, String deviceId, RenewalRequest request) throws Exception {
        assertThat(client.publishWith().topic("lk/acme/" + deviceId + "/csr").qos(MqttQos.AT_LEAST_ONCE).payload(request.toJson())
                .send().get(10, TimeUnit.SECONDS).getError()).isEmpty();
    }
}
