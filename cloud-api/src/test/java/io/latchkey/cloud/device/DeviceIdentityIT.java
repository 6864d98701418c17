package io.latchkey.cloud.device;

import static io.latchkey.cloud.it.CloudApp.expect;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5Client;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5PubAckException;
import io.latchkey.cloud.it.CloudApp;
import io.latchkey.cloud.it.Http;
import io.latchkey.cloud.pki.Pem;
import io.latchkey.cloud.pki.TestCsrs;
import io.latchkey.cloud.pki.TlsIdentity;
import io.latchkey.protocol.Json;
import java.net.URI;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyStore;
import java.security.Signature;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The device-identity endpoints over real HTTP with the real embedded broker: certificates issued by the
 * tenant CA work for mutual TLS on the broker's TLS listener, decommissioning drops the session, and
 * signed install reports show on the car.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DeviceIdentityIT {
    @TempDir
    static Path dataDir;
    CloudApp app;
    String acmeAdmin;
    String installer;
    String borrower;
    String globexInstaller;
    String operator;

    @BeforeAll
    void start() {
        app = CloudApp.start(dataDir, Map.of("test.update-keys", "true"));
        acmeAdmin = app.tenantWithAdmin("acme");
        installer = app.user("acme", acmeAdmin, "ian@acme.test", "installer");
        borrower = app.user("acme", acmeAdmin, "bea@acme.test", "borrower");
        operator = app.user("acme", acmeAdmin, "olga@acme.test", "operator");
        for (int i = 1; i <= 6; i++) {
            app.car("acme", operator, "car-" + i, "dev-00" + i);
        }
        String globexAdmin = app.tenantWithAdmin("globex");
        globexInstaller = app.user("globex", globexAdmin, "gil@globex.test", "installer");
        app.car("globex", app.user("globex", globexAdmin, "gus@globex.test", "operator"), "car-9", "dev-001");
    }

    @AfterAll
    void stop() {
        if (app != null) {
            app.close();
        }
    }

    @Test
    void car_mayNameABuiltInVehicleProfile_andTheCertificateResponseCarriesIt() {
        JsonNode car = expect(201, app.http.postJson("/t/acme/cars", operator, Map.of("id", "car-p1", "name", "Model S",
                "plate", "B-LK 77", "deviceId", "dev-p01", "vehicleProfile", "tesla_model_s"))).json();
        assertThat(car.path("vehicleProfile").asText()).isEqualTo("tesla_model_s");
        assertThat(expect(200, app.http.get("/t/acme/cars/car-p1", operator)).json().path("vehicleProfile").asText())
                .isEqualTo("tesla_model_s");

        JsonNode issued = expect(201, certificate(installer, "acme", "dev-p01", "car-p1", csr("acme", "dev-p01", TestCsrs.p256()))).json();
        assertThat(issued.path("vehicleProfile").asText()).isEqualTo("tesla_model_s");
    }

    @Test
    void car_withoutProfile_hasNone_andAnUnknownProfileIsRefused() {
        JsonNode plain = expect(201, app.http.postJson("/t/acme/cars", operator, Map.of("id", "car-p2", "name", "Plain",
                "plate", "B-LK 78", "deviceId", "dev-p02"))).json();
        assertThat(plain.path("vehicleProfile").isMissingNode() || plain.path("vehicleProfile").isNull()).isTrue();
        JsonNode issued = expect(201, certificate(installer, "acme", "dev-p02", "car-p2", csr("acme", "dev-p02", TestCsrs.p256()))).json();
        assertThat(issued.path("vehicleProfile").isMissingNode() || issued.path("vehicleProfile").isNull()).isTrue();

        Http.Reply unknown = app.http.postJson("/t/acme/cars", operator, Map.of("id", "car-p3", "name", "Trabant",
                "plate", "B-LK 79", "deviceId", "dev-p03", "vehicleProfile", "trabant_601"));
        assertThat(unknown.status()).isEqualTo(400);
        assertThat(unknown.body()).contains("trabant_601").contains("hyundai_i30_2014");
        expect(404, app.http.get("/t/acme/cars/car-p3", operator));
    }

    @Test
    void installer_getsACertificate_thatConnectsOverMutualTls_onlyOnce() throws Exception {
        KeyPair keys = TestCsrs.p256();
        JsonNode issued = expect(201, certificate(installer, "acme", "dev-001", "car-1", csr("acme", "dev-001", keys))).json();

        assertThat(issued.path("mqttUrl").asText()).startsWith("ssl://127.0.0.1:");
        assertThat(issued.path("caChain")).hasSize(1);
        assertThat(issued.path("brokerCaChain")).hasSize(1);
        assertThat(issued.path("commandKeys").get(0).path("alg").asText()).isEqualTo("Ed25519");
        JsonNode discovery = expect(200, app.http.get("/t/acme/.well-known/latchkey-device", null)).json();
        assertThat(discovery.path("mqttTlsUrl").asText()).isEqualTo(issued.path("mqttUrl").asText());
        // pinned at provisioning: the tenant's update keys (from the UpdateKeySource), and where an expired device renews
        assertThat(issued.path("updateKeys").findValuesAsText("kid")).containsExactly("upd-1", "upd-2");
        assertThat(issued.path("updateKeys").findValuesAsText("publicKey")).containsExactly(TestUpdateKeys.UPD_1, TestUpdateKeys.UPD_2);
        assertThat(issued.path("updateKeys").findValuesAsText("alg")).containsOnly("Ed25519");
        String recovery = issued.path("recoveryUrl").asText();
        assertThat(recovery).startsWith("http");
        assertThat(recovery + "/t/acme").isEqualTo(expect(200, app.http.get("/t/acme/.well-known/openid-configuration", null)).json()
                .path("issuer").asText());
        // the renewal route is there: an unsigned request is refused as malformed, not 404
        assertThat(app.http.postJson("/t/acme/devices/dev-001/renewal", null, Map.of("type", "RENEW")).status()).isEqualTo(400);

        Mqtt5AsyncClient device = connect(issued, keys, "acme:dev-001");
        assertThat(device.publishWith().topic("lk/acme/dev-001/telemetry").qos(MqttQos.AT_LEAST_ONCE).payload("{}".getBytes())
                .send().get(10, TimeUnit.SECONDS).getError()).isEmpty();
        assertThatThrownBy(() -> device.publishWith().topic("lk/acme/dev-002/telemetry").qos(MqttQos.AT_LEAST_ONCE)
                .payload("{}".getBytes()).send().get(10, TimeUnit.SECONDS))
                .hasRootCauseInstanceOf(Mqtt5PubAckException.class);
        // (HiveMQ also closes the connection of a client that publishes where it may not)
        device.disconnect().exceptionally(e -> null).get(5, TimeUnit.SECONDS);

        Http.Reply again = certificate(installer, "acme", "dev-001", "car-1", csr("acme", "dev-001", TestCsrs.p256()));
        assertThat(again.status()).isEqualTo(409);
        assertThat(again.body()).contains("already has an active certificate").doesNotContain("Exception");
    }

    @Test
    void certificateRequests_forTheWrongCarDeviceTenantOrRole_areRefused() {
        KeyPair keys = TestCsrs.p256();
        assertThat(certificate(installer, "acme", "dev-002", "car-404", csr("acme", "dev-002", keys)).status()).isEqualTo(404);
        assertThat(certificate(installer, "acme", "dev-003", "car-2", csr("acme", "dev-003", keys)).status()).isEqualTo(404);
        Http.Reply otherDevice = certificate(installer, "acme", "dev-002", "car-2", csr("acme", "dev-003", keys));
        assertThat(otherDevice.status()).isEqualTo(400);
        assertThat(otherDevice.body()).contains("csr");
        assertThat(certificate(installer, "acme", "dev-002", "car-2", csr("globex", "dev-002", keys)).status()).isEqualTo(400);
        assertThat(certificate(installer, "acme", "dev-002", "car-2", "not a csr").status()).isEqualTo(400);
        assertThat(certificate(borrower, "acme", "dev-002", "car-2", csr("acme", "dev-002", keys)).status()).isEqualTo(403);
        assertThat(certificate(globexInstaller, "acme", "dev-002", "car-2", csr("acme", "dev-002", keys)).status()).isEqualTo(401);
    }

    @Test
    void decommission_revokes_dropsTheLiveSession_andRefusesReconnection() throws Exception {
        KeyPair keys = TestCsrs.p256();
        JsonNode issued = expect(201, certificate(installer, "acme", "dev-004", "car-4", csr("acme", "dev-004", keys))).json();
        Mqtt5AsyncClient device = connect(issued, keys, "acme:dev-004");

        JsonNode answer = expect(200, app.http.postJson("/t/acme/devices/dev-004/decommission", installer, Map.of("reason", "replaced"))).json();

        String serial = Pem.certificate(issued.path("certificate").asText()).getSerialNumber().toString(16);
        assertThat(answer.path("revokedSerials").get(0).asText()).isEqualTo(serial);
        await().atMost(Duration.ofSeconds(10)).until(() -> !device.getState().isConnected());
        assertThat(tryConnect(issued, keys, "acme:dev-004")).isFalse();
        // the device may be provisioned again with a new key
        expect(201, certificate(installer, "acme", "dev-004", "car-4", csr("acme", "dev-004", TestCsrs.p256())));

        // issuing and revoking are in the tenant's hash-chained audit trail, which still verifies
        JsonNode audit = expect(200, app.http.get("/t/acme/audit?limit=1000", acmeAdmin)).json();
        java.util.List<String> trail = new java.util.ArrayList<>();
        audit.forEach(r -> trail.add(r.path("action").asText() + " " + r.path("subject").asText()));
        assertThat(trail).anyMatch(a -> a.startsWith("device.certificate-issued device/dev-004 car/car-4 serial/" + serial));
        assertThat(trail).anyMatch(a -> a.startsWith("device.certificate-revoked device/dev-004 car/car-4 serial/" + serial)
                && a.contains("replaced"));
        assertThat(expect(200, app.http.get("/t/acme/audit/verify", acmeAdmin)).json().path("status").asText()).isEqualTo("OK");
    }

    @Test
    void aCertificateOfAnotherTenantsCa_isRefusedByTheBroker_evenWithTheSameDeviceId() throws Exception {
        KeyPair keys = TestCsrs.p256();
        JsonNode globex = expect(201, certificate(globexInstaller, "globex", "dev-001", "car-9", csr("globex", "dev-001", keys))).json();
        // HiveMQ re-reads the TLS trust store every 10 s: a tenant created a moment ago is trusted within that.
        await().atMost(Duration.ofSeconds(25)).until(() -> tryConnect(globex, keys, "globex:dev-001"));
        assertThat(tryConnect(globex, keys, "acme:dev-001")).isFalse();
    }

    @Test
    void aSignedInstallReport_showsOnTheCar_andForgeriesAreRefused() throws Exception {
        KeyPair keys = TestCsrs.p256();
        JsonNode issued = expect(201, certificate(installer, "acme", "dev-005", "car-5", csr("acme", "dev-005", keys))).json();
        String certificate = issued.path("certificate").asText();
        String serial = Pem.certificate(certificate).getSerialNumber().toString(16);
        byte[] failing = report("acme", "dev-005", serial, false);

        expect(201, app.http.postJson("/t/acme/devices/dev-005/install-report", installer, signed(failing, keys, certificate)));
        JsonNode installation = expect(200, app.http.get("/t/acme/cars/car-5", acmeAdmin)).json().path("installation");
        assertThat(installation.path("status").asText()).isEqualTo("CHECKS_FAILED");
        assertThat(installation.path("failedChecks").get(0).path("name").asText()).isEqualTo("GNSS fix");

        expect(201, app.http.postJson("/t/acme/devices/dev-005/install-report", installer,
                signed(report("acme", "dev-005", serial, true), keys, certificate)));
        assertThat(expect(200, app.http.get("/t/acme/cars/car-5", acmeAdmin)).json().path("installation").path("status").asText())
                .isEqualTo("VERIFIED");

        KeyPair stranger = TestCsrs.p256();
        assertThat(app.http.postJson("/t/acme/devices/dev-005/install-report", installer,
                signed(report("acme", "dev-005", serial, true), stranger, certificate)).status()).isEqualTo(400);
        KeyPair other = TestCsrs.p256();
        JsonNode otherDevice = expect(201, certificate(installer, "acme", "dev-006", "car-6", csr("acme", "dev-006", other))).json();
        assertThat(app.http.postJson("/t/acme/devices/dev-005/install-report", installer,
                signed(report("acme", "dev-005", serial, true), other, otherDevice.path("certificate").asText())).status()).isEqualTo(403);
    }

    private Http.Reply certificate(String token, String tenant, String deviceId, String carId, String csr) {
        return app.http.postJson("/t/" + tenant + "/devices/" + deviceId + "/certificate", token, Map.of("carId", carId, "csr", csr));
    }

    private static String csr(String tenant, String deviceId, KeyPair keys) {
        return TestCsrs.csr("CN=" + deviceId + ",O=" + tenant, keys);
    }

    private static byte[] report(String tenant, String deviceId, String serial, boolean passed) {
        Map<String, Object> report = new LinkedHashMap<>();
        report.put("tenant", tenant);
        report.put("deviceId", deviceId);
        report.put("carId", "car-5");
        report.put("certificateSerial", serial);
        report.put("installer", "ian@acme.test");
        report.put("startedAt", Instant.now().minusSeconds(60).toString());
        report.put("finishedAt", Instant.now().toString());
        report.put("passed", passed);
        report.put("checks", List.of(Map.of("name", "Door locks", "status", "PASS", "detail", "ok", "hint", ""),
                Map.of("name", "GNSS fix", "status", passed ? "PASS" : "FAIL", "detail", "no fix", "hint", "move the car")));
        return Json.write(report);
    }

    private static Map<String, String> signed(byte[] payload, KeyPair keys, String certificate) throws Exception {
        Signature signer = Signature.getInstance("SHA256withECDSA");
        signer.initSign(keys.getPrivate());
        signer.update(payload);
        Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
        return Map.of("payload", b64.encodeToString(payload), "signature", b64.encodeToString(signer.sign()), "certificate", certificate);
    }

    /** A device's MQTT client with the certificate {@code issued} and its {@code keys} (DeviceRenewalIT uses it too). */
    static Mqtt5AsyncClient client(JsonNode issued, KeyPair keys, String clientId) throws Exception {
        URI url = URI.create(issued.path("mqttUrl").asText());
        TlsIdentity identity = new TlsIdentity(keys.getPrivate(), List.of(Pem.certificate(issued.path("certificate").asText())));
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("broker-ca", Pem.certificate(issued.path("brokerCaChain").get(0).asText()));
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        return Mqtt5Client.builder().identifier(clientId).serverHost(url.getHost()).serverPort(url.getPort())
                .sslConfig().keyManagerFactory(identity.keyManagerFactory()).trustManagerFactory(tmf).applySslConfig()
                .buildAsync();
    }

    static Mqtt5AsyncClient connect(JsonNode issued, KeyPair keys, String clientId) throws Exception {
        await().atMost(Duration.ofSeconds(25)).until(() -> tryConnect(issued, keys, clientId));
        Mqtt5AsyncClient client = client(issued, keys, clientId);
        client.connect().get(15, TimeUnit.SECONDS);
        return client;
    }

    static boolean tryConnect(JsonNode issued, KeyPair keys, String clientId) throws Exception {
        Mqtt5AsyncClient client = client(issued, keys, clientId);
        try {
            client.connect().get(15, TimeUnit.SECONDS);
            client.disconnect().get(5, TimeUnit.SECONDS);
            return true;
        } catch (java.util.concurrent.ExecutionException e) {
            return false;
        }
    }
}
