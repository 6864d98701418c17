package io.latchkey.protocol.key;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.latchkey.protocol.Ed25519;
import io.latchkey.protocol.Json;
import io.latchkey.protocol.Keys;
import io.latchkey.protocol.command.Command;
import io.latchkey.protocol.command.CommandSigner;
import io.latchkey.protocol.command.CommandType;
import io.latchkey.protocol.command.SignedCommand;
import io.latchkey.protocol.key.CarTime.Confidence;
import io.latchkey.protocol.key.KeyRefusedException.Reason;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.bouncycastle.crypto.params.ECPrivateKeyParameters;
import org.junit.jupiter.api.Test;

/** The car's checks of a presented key, one attack at a time (docs/offline-keys.md §9). */
class OfflineKeyVerifierTest {
    static final Instant START = Instant.parse("2026-12-05T10:00:00Z");
    static final Instant END = Instant.parse("2026-12-05T12:00:00Z");
    static final Instant NOW = START.plusSeconds(600);
    final KeyPair tenantKey = Keys.newCommandKeyPair();
    final OfflineKeyVerifier car = new OfflineKeyVerifier(Map.of("cmd-1", tenantKey.getPublic()), "acme", "dev-1");
    final ECPrivateKeyParameters phone = newPhoneKey();
    final CarTime trusted = new CarTime(NOW, Confidence.TRUSTED);

    static ECPrivateKeyParameters newPhoneKey() {
        return HolderKeys.privateKey(new BigInteger(250, new SecureRandom()).add(BigInteger.ONE));
    }

    KeyCredential credential(String keyId, String tenant, String device, ECPrivateKeyParameters holder, Set<KeyRight> rights,
                             Instant from, Instant to, KeyCredential.Parent parent) {
        return new KeyCredential(1, KeyCredential.TYPE, keyId, tenant, device, "car-1", "bk-1",
                new KeyCredential.Holder("u-rita", HolderKeys.encode(HolderKeys.publicOf(holder))), rights, from, to,
                from.minusSeconds(3600), parent, "MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE");
    }

    KeyCredential rita() {
        return credential("key-00000000000000a1", "acme", "dev-1", phone, Set.of(KeyRight.UNLOCK, KeyRight.LOCK), START, END, null);
    }

    TenantSigned signed(KeyCredential c) {
        return TenantSigned.sign(TenantSigned.Kind.CREDENTIAL, c, "cmd-1", tenantKey.getPrivate());
    }

    String bleSignature(ECPrivateKeyParameters holder, KeyCredential c, KeyRight action, String nonce, long counter, String epoch) {
        return Ed25519.base64url(HolderKeys.sign(holder, SigningInputs.bleRequest("acme", "dev-1", c.keyId(), action, nonce, counter, epoch)));
    }

    static void refused(Reason reason, ThrowingCallable call) {
        assertThatThrownBy(call).isInstanceOfSatisfying(KeyRefusedException.class, e -> assertThat(e.reason()).isEqualTo(reason));
    }

    @Test
    void aGenuineKey_withTheHoldersAnswerToTheChallenge_isAccepted() {
        KeyCredential verified = car.credential(signed(rita()), trusted, null);
        assertThat(verified).isEqualTo(rita());
        car.bleRequest(verified, KeyRight.UNLOCK, "bm9uY2U", 7, "ZXBvY2g", bleSignature(phone, verified, KeyRight.UNLOCK, "bm9uY2U", 7, "ZXBvY2g"));
    }

    @Test
    void aTamperedCredential_isRefused() {
        TenantSigned genuine = signed(rita());
        String json = new String(Ed25519.fromBase64url(genuine.document()), StandardCharsets.UTF_8).replace("\"UNLOCK\"", "\"START\"");
        TenantSigned tampered = new TenantSigned("cmd-1", Ed25519.base64url(json.getBytes(StandardCharsets.UTF_8)), genuine.signature());
        refused(Reason.BAD_CREDENTIAL_SIGNATURE, () -> car.credential(tampered, trusted, null));
    }

    @Test
    void aCredentialSignedByAnotherKey_orAnUnknownOne_isRefused() {
        TenantSigned forged = TenantSigned.sign(TenantSigned.Kind.CREDENTIAL, rita(), "cmd-1", Keys.newCommandKeyPair().getPrivate());
        refused(Reason.BAD_CREDENTIAL_SIGNATURE, () -> car.credential(forged, trusted, null));
        TenantSigned unknown = TenantSigned.sign(TenantSigned.Kind.CREDENTIAL, rita(), "cmd-9", tenantKey.getPrivate());
        refused(Reason.UNKNOWN_SIGNER, () -> car.credential(unknown, trusted, null));
    }

    @Test
    void aSignedCommand_cannotPassAsACredential_norARevocationListAsOne() {
        SignedCommand command = new CommandSigner(tenantKey.getPrivate(), "cmd-1").sign(
                new Command("c-1", "acme", "dev-1", CommandType.UNLOCK, NOW, NOW.plusSeconds(10), "u-1"));
        refused(Reason.BAD_CREDENTIAL_SIGNATURE, () -> car.credential(new TenantSigned("cmd-1", command.payload(), command.signature()), trusted, null));
        TenantSigned asList = TenantSigned.sign(TenantSigned.Kind.REVOCATIONS, rita(), "cmd-1", tenantKey.getPrivate());
        refused(Reason.BAD_CREDENTIAL_SIGNATURE, () -> car.credential(asList, trusted, null));
    }

    @Test
    void aCredentialForAnotherTenant_orAnotherCar_isRefused() {
        refused(Reason.WRONG_TENANT, () -> car.credential(signed(credential("key-00000000000000a2", "globex", "dev-1", phone,
                Set.of(KeyRight.UNLOCK), START, END, null)), trusted, null));
        refused(Reason.WRONG_DEVICE, () -> car.credential(signed(credential("key-00000000000000a3", "acme", "dev-2", phone,
                Set.of(KeyRight.UNLOCK), START, END, null)), trusted, null));
    }

    @Test
    void outsideItsWindow_isRefused_withTrustedTime() {
        refused(Reason.NOT_YET_VALID, () -> car.credential(signed(rita()), new CarTime(START.minusSeconds(61), Confidence.TRUSTED), null));
        car.credential(signed(rita()), new CarTime(START.minusSeconds(59), Confidence.TRUSTED), null); // the skew allowed
        refused(Reason.EXPIRED, () -> car.credential(signed(rita()), new CarTime(END, Confidence.TRUSTED), null));
    }

    @Test
    void withOnlyALowerBound_certainlyExpiredIsRefused_certainlyStartedIsAccepted_andUnknownTimeRefusesAll() {
        refused(Reason.EXPIRED, () -> car.credential(signed(rita()), new CarTime(END.plusSeconds(1), Confidence.LOWER_BOUND), null));
        refused(Reason.NOT_YET_VALID, () -> car.credential(signed(rita()), new CarTime(START.minusSeconds(3600), Confidence.LOWER_BOUND), null));
        assertThat(car.credential(signed(rita()), new CarTime(START.plusSeconds(1), Confidence.LOWER_BOUND), null)).isEqualTo(rita());
        refused(Reason.TIME_UNKNOWN, () -> car.credential(signed(rita()), CarTime.unknown(), null));
    }

    @Test
    void aRevokedKey_orAKeyWhoseParentIsRevoked_isRefused() {
        RevocationList list = car.revocations(TenantSigned.sign(TenantSigned.Kind.REVOCATIONS, new RevocationList(1, RevocationList.TYPE,
                "acme", 3, NOW, List.of(new RevocationList.Entry("key-00000000000000a1", END))), "cmd-1", tenantKey.getPrivate()));
        refused(Reason.REVOKED, () -> car.credential(signed(rita()), trusted, list));
        KeyCredential child = credential("key-00000000000000b1", "acme", "dev-1", newPhoneKey(), Set.of(KeyRight.UNLOCK), START, END,
                new KeyCredential.Parent("key-00000000000000a1", Set.of(KeyRight.UNLOCK, KeyRight.LOCK), START, END));
        refused(Reason.REVOKED, () -> car.credential(signed(child), trusted, list));
        assertThat(car.credential(signed(child), trusted, null)).isEqualTo(child);
    }

    @Test
    void aRevocationListOfAnotherTenant_orForged_isRefused() {
        RevocationList globex = new RevocationList(1, RevocationList.TYPE, "globex", 1, NOW, List.of());
        refused(Reason.WRONG_TENANT, () -> car.revocations(TenantSigned.sign(TenantSigned.Kind.REVOCATIONS, globex, "cmd-1", tenantKey.getPrivate())));
        RevocationList acme = new RevocationList(1, RevocationList.TYPE, "acme", 1, NOW, List.of());
        refused(Reason.BAD_CREDENTIAL_SIGNATURE, () -> car.revocations(TenantSigned.sign(TenantSigned.Kind.REVOCATIONS, acme, "cmd-1",
                Keys.newCommandKeyPair().getPrivate())));
    }

    @Test
    void aCoDriversKey_widerThanItsParent_isRefused() {
        KeyCredential.Parent parent = new KeyCredential.Parent("key-00000000000000a1", Set.of(KeyRight.UNLOCK), START, END);
        refused(Reason.WIDER_THAN_PARENT, () -> car.credential(signed(credential("key-00000000000000b2", "acme", "dev-1", newPhoneKey(),
                Set.of(KeyRight.UNLOCK, KeyRight.START), START, END, parent)), trusted, null));
        refused(Reason.WIDER_THAN_PARENT, () -> car.credential(signed(credential("key-00000000000000b3", "acme", "dev-1", newPhoneKey(),
                Set.of(KeyRight.UNLOCK), START, END.plusSeconds(1), parent)), trusted, null));
    }

    @Test
    void theHoldersSignature_mustBeTheHolders_overThisChallenge_andAnActionTheKeyGives() {
        KeyCredential c = car.credential(signed(rita()), trusted, null);
        refused(Reason.BAD_HOLDER_SIGNATURE, () -> car.bleRequest(c, KeyRight.UNLOCK, "bm9uY2U", 7, "ZXBvY2g",
                bleSignature(newPhoneKey(), c, KeyRight.UNLOCK, "bm9uY2U", 7, "ZXBvY2g")));
        // an answer to another challenge (a recorded exchange) does not sign this one
        refused(Reason.BAD_HOLDER_SIGNATURE, () -> car.bleRequest(c, KeyRight.UNLOCK, "bmV3ZXI", 8, "ZXBvY2g",
                bleSignature(phone, c, KeyRight.UNLOCK, "bm9uY2U", 7, "ZXBvY2g")));
        refused(Reason.BAD_HOLDER_SIGNATURE, () -> car.bleRequest(c, KeyRight.LOCK, "bm9uY2U", 7, "ZXBvY2g",
                bleSignature(phone, c, KeyRight.UNLOCK, "bm9uY2U", 7, "ZXBvY2g")));
        refused(Reason.NO_RIGHT, () -> car.bleRequest(c, KeyRight.START, "bm9uY2U", 7, "ZXBvY2g",
                bleSignature(phone, c, KeyRight.START, "bm9uY2U", 7, "ZXBvY2g")));
        // the all-zero signature is not a signature
        refused(Reason.BAD_HOLDER_SIGNATURE, () -> car.bleRequest(c, KeyRight.UNLOCK, "bm9uY2U", 7, "ZXBvY2g", Ed25519.base64url(new byte[64])));
    }

    @Test
    void aQrPresentation_isAcceptedOnce_perCounter_andOnlyWhileFresh() {
        KeyCredential c = car.credential(signed(rita()), trusted, null);
        Instant shown = NOW.minusSeconds(4);
        String sig = Ed25519.base64url(HolderKeys.sign(phone, SigningInputs.qrPresentation("acme", "dev-1", c.keyId(), KeyRight.UNLOCK, 17, shown)));
        car.qrPresentation(c, KeyRight.UNLOCK, 17, shown, sig, trusted, 16);
        refused(Reason.REPLAYED, () -> car.qrPresentation(c, KeyRight.UNLOCK, 17, shown, sig, trusted, 17));
        refused(Reason.STALE_PRESENTATION, () -> car.qrPresentation(c, KeyRight.UNLOCK, 17, shown, sig,
                new CarTime(NOW.plus(Duration.ofSeconds(31)), Confidence.TRUSTED), 16));
        refused(Reason.BAD_HOLDER_SIGNATURE, () -> car.qrPresentation(c, KeyRight.UNLOCK, 18, shown, sig, trusted, 16));
        refused(Reason.TIME_UNKNOWN, () -> car.qrPresentation(c, KeyRight.UNLOCK, 17, shown, sig, CarTime.unknown(), 16));
    }

    @Test
    void aMalformedCredential_isRefusedAsMalformed() {
        refused(Reason.MALFORMED, () -> car.credential(new TenantSigned("cmd-1", "not base64!", "x"), trusted, null));
        KeyCredential badKey = new KeyCredential(1, KeyCredential.TYPE, "key-00000000000000a1", "acme", "dev-1", "car-1", "bk-1",
                new KeyCredential.Holder("u-rita", Ed25519.base64url(new byte[65])), Set.of(KeyRight.UNLOCK), START, END, NOW, null, "x");
        refused(Reason.MALFORMED, () -> car.credential(signed(badKey), trusted, null));
        refused(Reason.MALFORMED, () -> car.credential(TenantSigned.sign(TenantSigned.Kind.CREDENTIAL, Map.of("v", 1), "cmd-1",
                tenantKey.getPrivate()), trusted, null));
        assertThat(Json.write(rita())).isNotEmpty();
    }
}
