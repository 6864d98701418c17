package io.latchkey.provisioning;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.latchkey.protocol.Json;
import io.latchkey.provisioning.files.PrivateFiles;
import java.io.ByteArrayInputStream;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.Signature;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Duration;
import java.util.Base64;
import java.util.Properties;
import java.util.stream.Stream;
import okhttp3.mockwebserver.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProvisionTest {
    @TempDir
    Path home;
    FakeBackend backend;
    Cli cli;
    Path card;

    @BeforeEach
    void start() throws Exception {
        backend = new FakeBackend();
        cli = new Cli(home.resolve("config"));
        card = Files.createDirectory(home.resolve("boot"));
    }

    @AfterEach
    void stop() throws Exception {
        backend.close();
    }

    @Test
    void provision_writesACompleteBundle_withTheKeyReadableByTheOwnerOnly() throws Exception {
        cli.login(backend);

        int code = cli.run("provision", "--car", "car-7", "--device", "dev-001", "--bundle", card.toString());

        assertThat(code).as(cli.out + cli.err).isEqualTo(ExitCodes.OK);
        Path bundle = card.resolve("latchkey");
        try (Stream<Path> files = Files.list(bundle)) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("agent.properties", "device.crt", "device.key",
                    "ca-chain.pem", "command-keys.json", "vehicle-profile.json", "bundle.json");
        }
        assertThat(Files.getPosixFilePermissions(bundle.resolve("device.key"))).isEqualTo(PrivateFiles.OWNER_ONLY);
        assertThat(Files.getPosixFilePermissions(bundle.resolve("device.crt"))).isEqualTo(PrivateFiles.PUBLIC);
        assertThat(Files.getPosixFilePermissions(bundle)).isEqualTo(PrivateFiles.OWNER_ONLY_DIR);
        assertThat(cli.out).contains("[1/7] Checking your sign-in").contains("[7/7] Writing the bundle").contains("Next: put the card");

        Properties config = new Properties();
        try (Reader reader = Files.newBufferedReader(bundle.resolve("agent.properties"))) {
            config.load(reader);
        }
        assertThat(config).containsEntry("tenant", "acme").containsEntry("device.id", "dev-001").containsEntry("mqtt.url", "ssl://127.0.0.1:1")
                .containsEntry("mqtt.tls.certificate", "device.crt").containsEntry("mqtt.tls.private-key", "device.key")
                .containsEntry("command.keys.cmd-1", FakeBackend.COMMAND_KEY).containsEntry("data.dir", "/var/lib/latchkey")
                .containsEntry("keyset.keys.ks-1", FakeBackend.KEYSET_KEY)
                .containsEntry("update.keys.upd-1", FakeBackend.UPDATE_KEY)
                .containsEntry("identity.recovery-url", FakeBackend.RECOVERY_URL)
                .doesNotContainKey("mqtt.tls.ca");
        // The car's vehicle profile: the HAL's own JSON, and the default 'pi' hardware reads it from can0.
        assertThat(bundle.resolve("vehicle-profile.json")).hasBinaryContent(
                io.latchkey.hal.can.VehicleProfile.class.getResourceAsStream("/profiles/hyundai_i30_2014.json").readAllBytes());
        assertThat(config).containsEntry("hardware.can.profile", "hyundai_i30_2014").containsEntry("hardware.can", "socketcan")
                .containsEntry("hardware.can.interface", "can0").containsEntry("hardware.locks", "pi4j");

        X509Certificate cert = (X509Certificate) CertificateFactory.getInstance("X.509")
                .generateCertificate(new ByteArrayInputStream(Files.readAllBytes(bundle.resolve("device.crt"))));
        assertThat(cert.getSubjectX500Principal().getName()).isEqualTo("O=acme,CN=dev-001");
        assertThat(keyBelongsTo(bundle.resolve("device.key"), cert)).isTrue();

        RecordedRequest request = backend.requestsTo("/certificate").get(0);
        assertThat(request.getPath()).isEqualTo("/t/acme/devices/dev-001/certificate");
        JsonNode body = Json.read(request.getBody().readByteArray(), JsonNode.class);
        assertThat(body.get("carId").asText()).isEqualTo("car-7");
        assertThat(body.get("csr").asText()).startsWith("-----BEGIN CERTIFICATE REQUEST-----").doesNotContain("PRIVATE");
        assertThat(Json.mapper().readTree(bundle.resolve("bundle.json").toFile()).get("carId").asText()).isEqualTo("car-7");
        assertThat(leftovers()).isEmpty();
    }

    /**
     * docs/device-identity.md: the tenant's update keys are pinned beside the command keys (docs/ota.md §2), and the
     * recovery URL lets a car offline across its certificate's expiry renew without a site visit. Several update keys
     * are all pinned; a backend that sends neither (an older one) gets neither line; an unusable key or URL writes nothing.
     */
    @Test
    void provision_pinsEveryUpdateKey_andTheRecoveryUrl_andRefusesUnusableOnes() throws Exception {
        cli.login(backend);
        String second = io.latchkey.protocol.Keys.encodePublic(io.latchkey.protocol.Keys.newCommandKeyPair().getPublic());
        backend.updateKeys = new java.util.LinkedHashMap<>(java.util.Map.of("upd-1", FakeBackend.UPDATE_KEY, "upd-2", second));
        backend.recoveryUrl = "https://latchkey.acme.example/base/";
        assertThat(cli.run("provision", "--car", "car-7", "--device", "dev-001", "--bundle", card.toString())).as(cli.out + cli.err)
                .isEqualTo(ExitCodes.OK);
        Properties config = properties(card.resolve("latchkey/agent.properties"));
        assertThat(config).containsEntry("update.keys.upd-1", FakeBackend.UPDATE_KEY).containsEntry("update.keys.upd-2", second)
                .containsEntry("identity.recovery-url", "https://latchkey.acme.example/base");

        backend.updateKeys = java.util.Map.of();
        backend.recoveryUrl = null;
        Files.createDirectories(card.resolve("older"));
        assertThat(cli.run("provision", "--car", "car-7", "--device", "dev-002", "--bundle", card.resolve("older").toString()))
                .as(cli.out + cli.err).isEqualTo(ExitCodes.OK);
        assertThat(properties(card.resolve("older/latchkey/agent.properties")).stringPropertyNames())
                .noneMatch(k -> k.startsWith("update.keys.")).doesNotContain("identity.recovery-url").contains("command.keys.cmd-1");

        for (Runnable bad : java.util.List.<Runnable>of(
                () -> backend.updateKeys = java.util.Map.of("upd-1", "bm90IGEga2V5"),
                () -> backend.updateKeys = java.util.Map.of("../x", FakeBackend.UPDATE_KEY),
                () -> backend.recoveryUrl = "ftp://latchkey.acme.example",
                () -> backend.recoveryUrl = "https://latchkey.acme.example\nmqtt.url=tcp://evil:1883")) {
            backend.updateKeys = java.util.Map.of("upd-1", FakeBackend.UPDATE_KEY);
            backend.recoveryUrl = FakeBackend.RECOVERY_URL;
            bad.run();
            Path target = Files.createDirectories(home.resolve("bad-" + System.nanoTime()));
            int code = cli.run("provision", "--car", "car-7", "--device", "dev-003", "--bundle", target.toString());
            assertThat(code).as(cli.out + cli.err).isEqualTo(ExitCodes.UNREACHABLE);
            assertThat(cli.err).contains("the backend's answer cannot be used");
            assertThat(target.resolve("latchkey")).doesNotExist();
        }
    }

    private static Properties properties(Path file) throws java.io.IOException {
        Properties config = new Properties();
        try (Reader reader = Files.newBufferedReader(file)) {
            config.load(reader);
        }
        return config;
    }

    @Test
    void provision_piHardware_writesTheStandardWiring_thatTheAgentLoads() throws Exception {
        cli.login(backend);

        assertThat(cli.run("provision", "--car", "car-7", "--device", "dev-001", "--bundle", card.toString())).as(cli.out + cli.err)
                .isEqualTo(ExitCodes.OK);

        io.latchkey.hal.assembly.HardwareConfig hw = io.latchkey.hal.assembly.HardwareConfig.load(card.resolve("latchkey/agent.properties"));
        assertThat(hw.locks()).isEqualTo(io.latchkey.hal.assembly.HardwareConfig.Locks.PI4J);
        assertThat(hw.pins()).hasSize(8);
        assertThat(hw.pins().get("unlock-relay").address()).isEqualTo(17);
        assertThat(hw.pins().get("lock-relay").address()).isEqualTo(27);
        assertThat(hw.pins().get("locked-feedback").address()).isEqualTo(22);
        assertThat(hw.pins().get("immobiliser-relay").address()).isEqualTo(23);
        assertThat(hw.pins().get("ignition").address()).isEqualTo(24);
        assertThat(hw.pins().get("key-in-holder").address()).isEqualTo(25);
        assertThat(hw.pins().get("tamper").address()).isEqualTo(5);
        assertThat(hw.pins().get("status-led").address()).isEqualTo(6);
        assertThat(hw.statusLed()).isEqualTo(io.latchkey.hal.assembly.HardwareConfig.StatusLed.GPIO);
        assertThat(hw.gnss()).isEqualTo(io.latchkey.hal.assembly.HardwareConfig.Gnss.SERIAL);
        assertThat(hw.serialPort()).isEqualTo("/dev/serial0");
        assertThat(hw.serialBaud()).isEqualTo(9600);
        assertThat(hw.can()).isEqualTo(io.latchkey.hal.assembly.HardwareConfig.Can.SOCKETCAN);
        assertThat(hw.canInterface()).isEqualTo("can0");
        assertThat(hw.canProfile()).contains("hyundai_i30_2014");
        // That the agent itself accepts the whole file is checked where both meet: simulator's interop tests.
        assertThat(io.latchkey.hal.config.ConfigFile.read(card.resolve("latchkey/agent.properties")).get("device.id")).isEqualTo("dev-001");
    }

    @Test
    void provision_withoutAVehicleProfile_writesNoProfile_andPiHasNoCan() throws Exception {
        cli.login(backend);
        backend.vehicleProfile = null;

        assertThat(cli.run("provision", "--car", "car-7", "--device", "dev-001", "--bundle", card.toString())).as(cli.out + cli.err)
                .isEqualTo(ExitCodes.OK);

        assertThat(card.resolve("latchkey/vehicle-profile.json")).doesNotExist();
        io.latchkey.hal.assembly.HardwareConfig hw = io.latchkey.hal.assembly.HardwareConfig
                .load(card.resolve("latchkey/agent.properties"));
        assertThat(hw.can()).isEqualTo(io.latchkey.hal.assembly.HardwareConfig.Can.NONE);
        assertThat(hw.canProfile()).isEmpty();
        assertThat(cli.out).contains("vehicle profile: none");
    }

    @Test
    void provision_simulatedHardware_namesEverySimulatedPart_andTheAgentLoadsIt() throws Exception {
        cli.login(backend);
        backend.vehicleProfile = "tesla_model_s";

        assertThat(cli.run("provision", "--car", "car-7", "--device", "dev-001", "--bundle", card.toString(), "--hardware", "simulated"))
                .as(cli.out + cli.err).isEqualTo(ExitCodes.OK);

        io.latchkey.hal.assembly.HardwareConfig hw = io.latchkey.hal.assembly.HardwareConfig
                .load(card.resolve("latchkey/agent.properties"));
        assertThat(hw.locks()).isEqualTo(io.latchkey.hal.assembly.HardwareConfig.Locks.SIMULATED);
        assertThat(hw.gnss()).isEqualTo(io.latchkey.hal.assembly.HardwareConfig.Gnss.SIMULATED);
        assertThat(hw.power()).isEqualTo(io.latchkey.hal.assembly.HardwareConfig.Power.SIMULATED);
        assertThat(hw.can()).isEqualTo(io.latchkey.hal.assembly.HardwareConfig.Can.NONE);
        assertThat(hw.canProfile()).contains("tesla_model_s");
        assertThat(hw.pins()).isEmpty();
        assertThat(card.resolve("latchkey/vehicle-profile.json")).hasBinaryContent(
                io.latchkey.hal.can.VehicleProfile.class.getResourceAsStream("/profiles/tesla_model_s.json").readAllBytes());
    }

    @Test
    void provision_unknownHardwareChoice_isAUsageError() {
        cli.login(backend);

        assertThat(cli.run("provision", "--car", "car-7", "--device", "dev-001", "--bundle", card.toString(), "--hardware", "arduino"))
                .isEqualTo(ExitCodes.USAGE);
        assertThat(cli.err).contains("'arduino' is not a hardware choice: use pi or simulated");
        assertThat(backend.requestsTo("/certificate")).isEmpty();
    }

    @Test
    void provision_aProfileThisToolDoesNotKnow_writesNothing() throws Exception {
        cli.login(backend);
        backend.vehicleProfile = "trabant_601";

        int code = cli.run("provision", "--car", "car-7", "--device", "dev-001", "--bundle", card.toString());

        assertThat(code).isNotEqualTo(ExitCodes.OK);
        assertThat(cli.err + cli.out).contains("vehicle profile 'trabant_601' is not built into this tool");
        assertThat(card.resolve("latchkey")).doesNotExist();
    }

    @Test
    void provision_forAnotherTenantThanSignedIn_isRefusedBeforeAnythingHappens() {
        cli.login(backend);

        int code = cli.run("provision", "--tenant", "globex", "--car", "car-7", "--device", "dev-001", "--bundle", card.toString());

        assertThat(code).isEqualTo(ExitCodes.NOT_SIGNED_IN);
        assertThat(cli.err).contains("signed in to tenant 'acme', not 'globex'").contains("login --tenant globex");
        assertThat(backend.requestsTo("/certificate")).isEmpty();
        assertThat(card.resolve("latchkey")).doesNotExist();
    }

    @Test
    void provision_whenTheBackendRefusesTheToken_asksToSignInAgain() throws Exception {
        cli.login(backend);
        rewriteStoredToken("someone-elses-token");

        int code = cli.run("provision", "--car", "car-7", "--device", "dev-001", "--bundle", card.toString());

        assertThat(code).isEqualTo(ExitCodes.REFUSED);
        assertThat(cli.err).contains("(401)").contains("login --tenant acme");
        assertThat(card.resolve("latchkey")).doesNotExist();
        assertThat(leftovers()).isEmpty();
    }

    @Test
    void provision_withAnExpiredSignIn_isRefusedBeforeGeneratingAnything() {
        cli.login(backend);
        cli.advance(Duration.ofMinutes(16));

        int code = cli.run("provision", "--car", "car-7", "--device", "dev-001", "--bundle", card.toString());

        assertThat(code).isEqualTo(ExitCodes.NOT_SIGNED_IN);
        assertThat(cli.err).contains("expired").contains("login --tenant acme");
        assertThat(cli.out).contains("[1/7] Checking your sign-in ... failed").doesNotContain("[3/7]");
        assertThat(backend.requestsTo("/certificate")).isEmpty();
    }

    @Test
    void provision_withoutSigningIn_saysHowToSignIn() {
        int code = cli.run("provision", "--car", "car-7", "--device", "dev-001", "--bundle", card.toString());

        assertThat(code).isEqualTo(ExitCodes.NOT_SIGNED_IN);
        assertThat(cli.err).contains("not signed in").contains("provision login");
    }

    @Test
    void provision_toANonWritableDirectory_isRefusedBeforeTheKeyIsGenerated_andWritesNothing() throws Exception {
        cli.login(backend);
        Path readOnly = nonWritableDirectory();

        int code = cli.run("provision", "--car", "car-7", "--device", "dev-001", "--bundle", readOnly.toString());

        assertThat(code).isEqualTo(ExitCodes.LOCAL_FILES);
        assertThat(cli.err).contains("not writable").contains("Next:");
        assertThat(cli.out).contains("[2/7]").doesNotContain("[3/7] Generating");
        assertThat(backend.requestsTo("/certificate")).isEmpty();
        assertThat(readOnly.resolve("latchkey")).doesNotExist();
    }

    @Test
    void provision_intoAMissingDirectory_saysToMountTheCard() {
        cli.login(backend);

        int code = cli.run("provision", "--car", "car-7", "--device", "dev-001", "--bundle", home.resolve("not-mounted").toString());

        assertThat(code).isEqualTo(ExitCodes.LOCAL_FILES);
        assertThat(cli.err).contains("does not exist").contains("mount");
    }

    @Test
    void provision_overAnExistingBundle_needsReplace() throws Exception {
        cli.login(backend);
        cli.run("provision", "--car", "car-7", "--device", "dev-001", "--bundle", card.toString());
        byte[] firstKey = Files.readAllBytes(card.resolve("latchkey/device.key"));

        assertThat(cli.run("provision", "--car", "car-7", "--device", "dev-001", "--bundle", card.toString())).isEqualTo(ExitCodes.LOCAL_FILES);
        assertThat(cli.err).contains("already holds a device bundle").contains("--replace");
        assertThat(Files.readAllBytes(card.resolve("latchkey/device.key"))).isEqualTo(firstKey);

        assertThat(cli.run("provision", "--car", "car-7", "--device", "dev-001", "--bundle", card.toString(), "--replace")).isEqualTo(ExitCodes.OK);
        assertThat(Files.readAllBytes(card.resolve("latchkey/device.key"))).isNotEqualTo(firstKey);
    }

    @Test
    void provision_whenTheBackendCertifiesAnotherKey_trustsNothingAndWritesNothing() throws Exception {
        cli.login(backend);
        backend.certificateAnswer = csr -> {
            var other = FakeBackend.p256();
            try {
                var forged = new org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder(csr.getSubject(), other.getPublic())
                        .build(new org.bouncycastle.operator.jcajce.JcaContentSignerBuilder("SHA256withECDSA").build(other.getPrivate()));
                return backend.certificateFor(forged);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        };

        int code = cli.run("provision", "--car", "car-7", "--device", "dev-001", "--bundle", card.toString());

        assertThat(code).isEqualTo(ExitCodes.UNREACHABLE);
        assertThat(cli.err).contains("another key");
        assertThat(card.resolve("latchkey")).doesNotExist();
        assertThat(leftovers()).isEmpty();
    }

    @Test
    void provision_withABadDeviceId_isAUsageError() {
        assertThat(cli.run("provision", "--car", "car-7", "--device", "dev/../x", "--bundle", card.toString())).isEqualTo(ExitCodes.USAGE);
    }

    @Test
    void selftest_onASimulatedCar_printsTheTable_andUploadsAReportSignedByTheDeviceKey() throws Exception {
        cli.login(backend);
        cli.run("provision", "--car", "car-7", "--device", "dev-001", "--bundle", card.toString());

        int code = cli.run("selftest", "--bundle", card.resolve("latchkey").toString(), "--simulated");

        // The fake backend's broker URL points nowhere: every car check passes, the broker check fails.
        assertThat(code).as(cli.out + cli.err).isEqualTo(ExitCodes.CHECK_FAILED);
        assertThat(cli.out).contains("Door locks", "PASS", "Broker connection", "FAIL", "1 of 7 checks failed", "Report uploaded");
        JsonNode signed = Json.read(backend.requestsTo("/install-report").get(0).getBody().readByteArray(), JsonNode.class);
        byte[] payload = Base64.getUrlDecoder().decode(signed.get("payload").asText());
        X509Certificate cert = (X509Certificate) CertificateFactory.getInstance("X.509")
                .generateCertificate(new ByteArrayInputStream(Files.readAllBytes(card.resolve("latchkey/device.crt"))));
        Signature verifier = Signature.getInstance("SHA256withECDSA");
        verifier.initVerify(cert.getPublicKey());
        verifier.update(payload);
        assertThat(verifier.verify(Base64.getUrlDecoder().decode(signed.get("signature").asText()))).isTrue();
        assertThat(Json.read(payload, JsonNode.class).get("passed").asBoolean()).isFalse();
        assertThat(card.resolve("latchkey/install-report.json")).exists();
    }

    @Test
    void selftest_withoutSimulated_opensTheHardwareTheBundleConfigures_throughTheAgentsFactory() {
        cli.login(backend);
        cli.run("provision", "--car", "car-7", "--device", "dev-001", "--bundle", card.toString(), "--hardware", "simulated");

        // The test clock stands still: every wait checks once (the agent's simulated locks confirm within the pulse).
        int code = cli.run("selftest", "--bundle", card.resolve("latchkey").toString(), "--no-upload",
                "--signals-timeout", "PT0S", "--gnss-timeout", "PT0S", "--feedback-timeout", "PT0S");

        // The agent's simulated central locking follows the relays; no CAN (hardware.can=none) and no broker here.
        assertThat(code).as(cli.out + cli.err).isEqualTo(ExitCodes.CHECK_FAILED);
        assertThat(cli.out).contains("Hardware opened as").contains("(agent)").doesNotContain("SIMULATED hardware")
                .containsPattern("Door locks\\s+PASS").containsPattern("GNSS fix\\s+PASS").containsPattern("Supply voltage\\s+PASS");
    }

    @Test
    void selftest_onPiHardware_offThePi_failsCleanly_namingTheKeysAndTheNextStep() {
        cli.login(backend);
        cli.run("provision", "--car", "car-7", "--device", "dev-001", "--bundle", card.toString());

        int code = cli.run("selftest", "--bundle", card.resolve("latchkey").toString(), "--no-upload",
                "--signals-timeout", "PT0S", "--gnss-timeout", "PT0S", "--feedback-timeout", "PT0S");

        assertThat(code).as(cli.out + cli.err).isEqualTo(ExitCodes.CHECK_FAILED);
        assertThat(cli.out).contains("FAILED: cannot open the device's hardware: hardware.locks=pi4j")
                .contains("Next: check the hardware.* keys in").contains("add --simulated")
                .containsPattern("Door locks\\s+FAIL");
        assertThat(cli.out + cli.err).doesNotContain("\tat ");
    }

    @Test
    void decommission_revokesTheDeviceAtTheBackend() {
        cli.login(backend);

        int code = cli.run("decommission", "--device", "dev-001", "--reason", "replaced");

        assertThat(code).as(cli.err).isEqualTo(ExitCodes.OK);
        assertThat(backend.requestsTo("/decommission").get(0).getPath()).isEqualTo("/t/acme/devices/dev-001/decommission");
        assertThat(cli.out).contains("decommissioned");
    }

    private Path nonWritableDirectory() throws Exception {
        if ("root".equals(System.getProperty("user.name"))) {
            // Root ignores permission bits; /proc/self is a directory nobody can create files in.
            return Path.of("/proc/self");
        }
        Path dir = Files.createDirectory(home.resolve("read-only"));
        Files.setPosixFilePermissions(dir, java.nio.file.attribute.PosixFilePermissions.fromString("r-x------"));
        return dir;
    }

    private void rewriteStoredToken(String token) throws Exception {
        Path file = cli.configDir.resolve("installer-token.json");
        var node = (com.fasterxml.jackson.databind.node.ObjectNode) Json.mapper().readTree(file.toFile());
        node.put("accessToken", token);
        Files.write(file, Json.write(node));
    }

    private java.util.List<String> leftovers() throws Exception {
        try (Stream<Path> files = Files.list(card)) {
            return files.map(p -> p.getFileName().toString()).filter(n -> n.startsWith(".")).toList();
        }
    }

    private static boolean keyBelongsTo(Path keyFile, X509Certificate cert) throws Exception {
        String pem = Files.readString(keyFile);
        assertThat(pem).startsWith("-----BEGIN PRIVATE KEY-----");
        var key = KeyFactory.getInstance("EC").generatePrivate(new PKCS8EncodedKeySpec(
                Base64.getMimeDecoder().decode(pem.replaceAll("-----[A-Z ]+-----", ""))));
        Signature signer = Signature.getInstance("SHA256withECDSA");
        signer.initSign(key);
        signer.update(new byte[] {1, 2, 3});
        byte[] signature = signer.sign();
        Signature verifier = Signature.getInstance("SHA256withECDSA");
        verifier.initVerify(cert.getPublicKey());
        verifier.update(new byte[] {1, 2, 3});
        return verifier.verify(signature);
    }
}
