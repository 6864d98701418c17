package io.latchkey.protocol.command;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.latchkey.protocol.Json;
import io.latchkey.protocol.LockState;
import io.latchkey.protocol.device.DeviceKeys;
import io.latchkey.protocol.device.DeviceSigner;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.util.Base64;
import org.bouncycastle.crypto.params.ECPublicKeyParameters;
import org.junit.jupiter.api.Test;

class AckVerifierTest {
    static KeyPair p256() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp256r1"));
        return g.generateKeyPair();
    }

    private final KeyPair device;
    private final ECPublicKeyParameters key;
    private final AckSigner signer;
    private final CommandAck ack = new CommandAck("cmd-1", null, "whatever", CommandOutcome.EXECUTED, null, LockState.UNLOCKED,
            false, false, Instant.parse("2026-11-23T17:00:00Z"));

    AckVerifierTest() throws Exception {
        device = p256();
        key = DeviceKeys.verification(device.getPublic());
        signer = new AckSigner("acme", "dev-001", new DeviceSigner(device.getPrivate()));
    }

    @Test
    void signedAck_verifies_andNamesTheSigningDevice() {
        CommandAck verified = AckVerifier.verify(signer.signToWire(ack), "acme", "dev-001", key);
        assertThat(verified.tenant()).isEqualTo("acme");
        assertThat(verified.deviceId()).isEqualTo("dev-001");
        assertThat(verified.commandId()).isEqualTo("cmd-1");
        assertThat(verified.lockState()).isEqualTo(LockState.UNLOCKED);
    }

    @Test
    void signature_isStandardSha256WithEcdsa_checkableByTheJdk() throws Exception {
        SignedAck signed = signer.sign(ack);
        java.security.Signature jdk = java.security.Signature.getInstance("SHA256withECDSA");
        jdk.initVerify(device.getPublic());
        jdk.update(Base64.getUrlDecoder().decode(signed.payload()));
        assertThat(jdk.verify(Base64.getUrlDecoder().decode(signed.signature()))).isTrue();
    }

    @Test
    void unsignedAck_isRefusedAsMalformed() {
        assertRefused(Json.write(ack.from("acme", "dev-001")), AckRejectedException.Reason.MALFORMED);
    }

    @Test
    void anotherKey_isRefused() throws Exception {
        AckSigner other = new AckSigner("acme", "dev-001", new DeviceSigner(p256().getPrivate()));
        assertRefused(other.signToWire(ack), AckRejectedException.Reason.BAD_SIGNATURE);
    }

    @Test
    void anotherDeviceOrTenant_isRefused() {
        assertThatThrownBy(() -> AckVerifier.verify(signer.signToWire(ack), "acme", "dev-002", key))
                .isInstanceOfSatisfying(AckRejectedException.class, e -> assertThat(e.reason()).isEqualTo(AckRejectedException.Reason.WRONG_DEVICE));
        assertThatThrownBy(() -> AckVerifier.verify(signer.signToWire(ack), "globex", "dev-001", key))
                .isInstanceOfSatisfying(AckRejectedException.class, e -> assertThat(e.reason()).isEqualTo(AckRejectedException.Reason.WRONG_TENANT));
    }

    @Test
    void alteredPayload_andZeroSignature_areRefused() {
        SignedAck signed = signer.sign(ack);
        byte[] payload = Base64.getUrlDecoder().decode(signed.payload());
        String altered = new String(payload, java.nio.charset.StandardCharsets.UTF_8).replace("UNLOCKED", "LOCKED");
        Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
        assertRefused(Json.write(new SignedAck(b64.encodeToString(altered.getBytes(java.nio.charset.StandardCharsets.UTF_8)),
                signed.signature())), AckRejectedException.Reason.BAD_SIGNATURE);
        byte[] zero = {0x30, 0x06, 0x02, 0x01, 0x00, 0x02, 0x01, 0x00};
        assertRefused(Json.write(new SignedAck(signed.payload(), b64.encodeToString(zero))), AckRejectedException.Reason.BAD_SIGNATURE);
    }

    @Test
    void signAndVerify_costWellUnderAMillisecond() {
        byte[] wire = signer.signToWire(ack);
        for (int i = 0; i < 500; i++) {
            AckVerifier.verify(signer.signToWire(ack), "acme", "dev-001", key);
        }
        int n = 2000;
        long t0 = System.nanoTime();
        for (int i = 0; i < n; i++) {
            wire = signer.signToWire(ack);
        }
        long t1 = System.nanoTime();
        for (int i = 0; i < n; i++) {
            AckVerifier.verify(wire, "acme", "dev-001", key);
        }
        long t2 = System.nanoTime();
        double signUs = (t1 - t0) / 1e3 / n;
        double verifyUs = (t2 - t1) / 1e3 / n;
        System.out.printf("signed ack: sign %.0f us, verify %.0f us (JSON included)%n", signUs, verifyUs);
        assertThat(signUs).isLessThan(5_000);
        assertThat(verifyUs).isLessThan(5_000);
    }

    private void assertRefused(byte[] message, AckRejectedException.Reason reason) {
        assertThatThrownBy(() -> AckVerifier.verify(message, "acme", "dev-001", key))
                .isInstanceOfSatisfying(AckRejectedException.class, e -> assertThat(e.reason()).isEqualTo(reason));
    }

    @Test
    void failedChecks_areCoveredByTheDeviceSignature() {
        CommandAck refused = new CommandAck("cmd-2", null, "whatever", CommandOutcome.REJECTED, "CHECKS_FAILED",
                LockState.UNLOCKED, true, false, Instant.parse("2026-11-23T17:00:00Z"),
                java.util.List.of("DOOR_OPEN: rear left", "KEY_NOT_IN_HOLDER"));
        SignedAck signed = signer.sign(refused);
        assertThat(AckVerifier.verify(Json.write(signed), "acme", "dev-001", key).failed())
                .containsExactly("DOOR_OPEN: rear left", "KEY_NOT_IN_HOLDER");
        String json = new String(Base64.getUrlDecoder().decode(signed.payload()), java.nio.charset.StandardCharsets.UTF_8);
        String dropped = json.replace("\"DOOR_OPEN: rear left\",", "");
        assertThat(dropped).isNotEqualTo(json);
        Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
        assertRefused(Json.write(new SignedAck(b64.encodeToString(dropped.getBytes(java.nio.charset.StandardCharsets.UTF_8)),
                signed.signature())), AckRejectedException.Reason.BAD_SIGNATURE);
        // an answer without checks carries no "failed" key at all (the format of older agents)
        assertThat(new String(Base64.getUrlDecoder().decode(signer.sign(ack).payload()), java.nio.charset.StandardCharsets.UTF_8))
                .doesNotContain("failed");
    }
}
