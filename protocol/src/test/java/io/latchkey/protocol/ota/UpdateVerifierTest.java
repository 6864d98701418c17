package io.latchkey.protocol.ota;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.latchkey.protocol.Channel;
import io.latchkey.protocol.Ed25519;
import io.latchkey.protocol.Keys;
import io.latchkey.protocol.MalformedMessageException;
import io.latchkey.protocol.Topic;
import io.latchkey.protocol.device.DeviceKeys;
import io.latchkey.protocol.device.DeviceSigner;
import io.latchkey.protocol.key.TenantSigned;
import io.latchkey.protocol.ota.UpdateRefusedException.Reason;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class UpdateVerifierTest {
    static final KeyPair UPDATE = Keys.newCommandKeyPair();
    static final KeyPair OTHER = Keys.newCommandKeyPair();
    static final String SHA = "a".repeat(64);
    final UpdateVerifier verifier = new UpdateVerifier(Map.of("upd-1", UPDATE.getPublic()), "acme", 1);

    static UpdateManifest manifest(String tenant, String version, String minVersion, boolean allowDowngrade, int schema) {
        return new UpdateManifest(1, UpdateManifest.TYPE, tenant, version, minVersion, allowDowngrade, schema,
                Instant.parse("2026-12-06T00:00:00Z"), List.of(new UpdateManifest.FileEntry("device-agent.jar", 10, SHA),
                new UpdateManifest.FileEntry("lib/protocol.jar", 5, SHA)));
    }

    static TenantSigned signed(UpdateManifest m) {
        return UpdateVerifier.sign(m, "upd-1", UPDATE.getPrivate());
    }

    @Test
    void acceptsANewerReleaseOfItsTenant_signedByAPinnedUpdateKey() {
        UpdateManifest m = verifier.verify(signed(manifest("acme", "0.2.0", "0.1.0", false, 1)), "0.1.0");
        assertThat(m.version()).isEqualTo("0.2.0");
        assertThat(m.files()).extracting(UpdateManifest.FileEntry::path).containsExactly("device-agent.jar", "lib/protocol.jar");
    }

    @Test
    void refusesUnsigned_unknownKey_andAChangedDocument() {
        TenantSigned good = signed(manifest("acme", "0.2.0", null, false, 1));
        assertReason(new TenantSigned("upd-1", good.document(), null), Reason.UNSIGNED);
        assertReason(new TenantSigned("upd-1", good.document(), ""), Reason.UNSIGNED);
        assertReason(TenantSigned.sign(TenantSigned.Kind.UPDATE_MANIFEST, manifest("acme", "0.2.0", null, false, 1), "upd-2",
                OTHER.getPrivate()), Reason.UNKNOWN_KEY);
        // signed by an unpinned key under a pinned key's id
        assertReason(TenantSigned.sign(TenantSigned.Kind.UPDATE_MANIFEST, manifest("acme", "0.2.0", null, false, 1), "upd-1",
                OTHER.getPrivate()), Reason.BAD_SIGNATURE);
        // another version's document under this signature: a tampered manifest
        TenantSigned other = signed(manifest("acme", "9.0.0", null, false, 1));
        assertReason(new TenantSigned("upd-1", other.document(), good.signature()), Reason.BAD_SIGNATURE);
        // a command key's signature of the same document (other context) is no manifest signature
        TenantSigned asCredential = TenantSigned.sign(TenantSigned.Kind.CREDENTIAL, manifest("acme", "0.2.0", null, false, 1), "upd-1",
                UPDATE.getPrivate());
        assertReason(asCredential, Reason.BAD_SIGNATURE);
    }

    @Test
    void refusesAForeignTenant_aDowngrade_theSameVersion_aTooOldDevice_andANewerSchema() {
        assertReason(signed(manifest("globex", "0.2.0", null, false, 1)), Reason.WRONG_TENANT);
        assertReason(signed(manifest("acme", "0.0.9", null, false, 1)), Reason.DOWNGRADE);
        assertReason(signed(manifest("acme", "0.1.0", null, false, 1)), Reason.SAME_VERSION);
        assertReason(signed(manifest("acme", "0.3.0", "0.2.0", false, 1)), Reason.VERSION_TOO_OLD);
        assertReason(signed(manifest("acme", "0.2.0", null, false, 2)), Reason.SCHEMA_UNSUPPORTED);
    }

    @Test
    void aDowngradeTheManifestAllows_isAccepted() {
        assertThat(verifier.verify(signed(manifest("acme", "0.0.9", null, true, 1)), "0.1.0").version()).isEqualTo("0.0.9");
    }

    @Test
    void refusesMalformedManifests() {
        assertThatThrownBy(() -> signed(new UpdateManifest(1, UpdateManifest.TYPE, "acme", "0.2.0", null, false, 1, Instant.now(),
                List.of(new UpdateManifest.FileEntry("../etc/passwd", 1, SHA), new UpdateManifest.FileEntry("device-agent.jar", 1, SHA)))))
                .isInstanceOf(UpdateRefusedException.class).hasMessageContaining("..");
        assertThatThrownBy(() -> signed(new UpdateManifest(1, UpdateManifest.TYPE, "acme", "0.2.0", null, false, 1, Instant.now(),
                List.of(new UpdateManifest.FileEntry("lib/x.jar", 1, SHA))))).hasMessageContaining("device-agent.jar");
        TenantSigned junk = new TenantSigned("upd-1", Ed25519.base64url("{}".getBytes()),
                Ed25519.base64url(Ed25519.sign(Keys.ed25519(UPDATE.getPrivate()), "x".getBytes())));
        assertReason(junk, Reason.BAD_SIGNATURE);
        assertReason(null, Reason.MALFORMED);
    }

    @Test
    void versions_orderNumerically_withQualifiersBeforeTheRelease() {
        assertThat(Versions.compare("0.10.0", "0.9.1")).isPositive();
        assertThat(Versions.compare("0.2.0-SNAPSHOT", "0.2.0")).isNegative();
        assertThat(Versions.compare("0.2.0~20261206010101", "0.1.0")).isPositive();
        assertThat(Versions.compare("1.0", "1.0.0")).isZero();
        assertThatThrownBy(() -> Versions.compare("x", "1")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void otaChannels_haveTheirTopicSegments() {
        assertThat(Topic.of("acme", "dev-001", Channel.OTA).name()).isEqualTo("lk/acme/dev-001/ota");
        assertThat(Topic.parse("lk/acme/dev-001/ota-status").channel()).isEqualTo(Channel.OTA_STATUS);
    }

    @Test
    void statuses_areSignedByTheDeviceKey_andAnyChangeIsRefused() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp256r1"));
        KeyPair device = g.generateKeyPair();
        byte[] wire = SignedOtaStatus.signToWire(new OtaStatus("x", "y", "rollout-1", "0.2.0", "0.1.0", OtaState.FAILED,
                "TAMPERED: lib/x.jar", Instant.parse("2026-12-06T01:00:00Z")), "acme", "dev-001", new DeviceSigner(device.getPrivate()));
        OtaStatus s = SignedOtaStatus.verify(wire, DeviceKeys.verification(device.getPublic()), "acme", "dev-001");
        assertThat(s.tenant()).isEqualTo("acme");
        assertThat(s.state()).isEqualTo(OtaState.FAILED);
        assertThat(s.reason()).startsWith("TAMPERED");
        assertThatThrownBy(() -> SignedOtaStatus.verify(wire, DeviceKeys.verification(device.getPublic()), "acme", "dev-002"))
                .isInstanceOf(MalformedMessageException.class);
        String text = new String(wire).replace("\"signature\":\"", "\"signature\":\"A");
        assertThatThrownBy(() -> SignedOtaStatus.verify(text.getBytes(), DeviceKeys.verification(device.getPublic()), "acme", "dev-001"))
                .isInstanceOf(MalformedMessageException.class);
    }

    private void assertReason(TenantSigned signed, Reason reason) {
        assertThatThrownBy(() -> verifier.verify(signed, "0.1.0")).isInstanceOf(UpdateRefusedException.class)
                .satisfies(e -> assertThat(((UpdateRefusedException) e).reason()).isEqualTo(reason));
    }
}
