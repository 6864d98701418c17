package io.latchkey.protocol.command;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.latchkey.protocol.Json;
import io.latchkey.protocol.Keys;
import io.latchkey.protocol.command.CommandRejectedException.Reason;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CommandVerifierTest {
    private static final Instant NOW = Instant.parse("2026-11-23T17:00:00Z");
    private final KeyPair tenantKey = Keys.newCommandKeyPair();
    private final CommandSigner signer = new CommandSigner(tenantKey.getPrivate(), "cmd-1");
    private final CommandVerifier verifier = verifierAt(NOW);

    private CommandVerifier verifierAt(Instant now) {
        return new CommandVerifier(Map.of("cmd-1", tenantKey.getPublic()), "acme", "dev-1",
                Clock.fixed(now, ZoneOffset.UTC), Duration.ofSeconds(30));
    }

    private static Command unlock(String tenant, String device, Instant issued, Duration ttl) {
        return new Command("c-1", tenant, device, CommandType.UNLOCK, issued, issued.plus(ttl), "user-1");
    }

    @Test
    void verify_acceptsAFreshCommandForThisDevice() {
        Command command = unlock("acme", "dev-1", NOW, Duration.ofSeconds(10));
        assertThat(verifier.verify(Json.write(signer.sign(command)))).isEqualTo(command);
    }

    @Test
    void verify_rejectsACommandSignedByAnotherKey() {
        CommandSigner forger = new CommandSigner(Keys.newCommandKeyPair().getPrivate(), "cmd-1");
        SignedCommand forged = forger.sign(unlock("acme", "dev-1", NOW, Duration.ofSeconds(10)));
        assertRejected(forged, Reason.BAD_SIGNATURE);
    }

    @Test
    void verify_rejectsATamperedPayload() {
        SignedCommand genuine = signer.sign(unlock("acme", "dev-1", NOW, Duration.ofSeconds(10)));
        String json = new String(Base64.getUrlDecoder().decode(genuine.payload()), StandardCharsets.UTF_8)
                .replace("\"UNLOCK\"", "\"LOCK\"");
        String tampered = Base64.getUrlEncoder().withoutPadding().encodeToString(json.getBytes(StandardCharsets.UTF_8));
        assertRejected(new SignedCommand(tampered, genuine.signature(), genuine.keyId()), Reason.BAD_SIGNATURE);
    }

    @Test
    void verify_rejectsAnUnknownKeyId() {
        SignedCommand signed = new CommandSigner(tenantKey.getPrivate(), "cmd-9")
                .sign(unlock("acme", "dev-1", NOW, Duration.ofSeconds(10)));
        assertRejected(signed, Reason.UNKNOWN_KEY);
    }

    @Test
    void verify_rejectsACommandForAnotherDeviceOrTenant() {
        assertRejected(signer.sign(unlock("acme", "dev-2", NOW, Duration.ofSeconds(10))), Reason.WRONG_DEVICE);
        assertRejected(signer.sign(unlock("other", "dev-1", NOW, Duration.ofSeconds(10))), Reason.WRONG_TENANT);
    }

    @Test
    void verify_rejectsAnExpiredCommand_evenOneMillisecondLate() {
        SignedCommand signed = signer.sign(unlock("acme", "dev-1", NOW.minusSeconds(10), Duration.ofSeconds(10)));
        assertThatThrownBy(() -> verifier.verify(signed))
                .isInstanceOfSatisfying(CommandRejectedException.class, e -> assertThat(e.reason()).isEqualTo(Reason.EXPIRED));
        assertThat(verifierAt(NOW.minusMillis(1)).verify(signed).id()).isEqualTo("c-1");
    }

    @Test
    void verify_toleratesBoundedSkew_butNotAFutureCommand() {
        Command soon = unlock("acme", "dev-1", NOW.plusSeconds(20), Duration.ofSeconds(30));
        assertThat(verifier.verify(signer.sign(soon))).isEqualTo(soon);
        assertRejected(signer.sign(unlock("acme", "dev-1", NOW.plusSeconds(60), Duration.ofSeconds(30))), Reason.NOT_YET_VALID);
    }

    @Test
    void verify_rejectsGarbage_asMalformed() {
        for (String garbage : new String[] {"", "{", "null", "[]", "{\"payload\":\"!!\",\"signature\":\"x\",\"keyId\":\"cmd-1\"}"}) {
            assertThatThrownBy(() -> verifier.verify(garbage.getBytes(StandardCharsets.UTF_8)))
                    .isInstanceOfSatisfying(CommandRejectedException.class,
                            e -> assertThat(e.reason()).isIn(Reason.MALFORMED, Reason.BAD_SIGNATURE));
        }
    }

    private void assertRejected(SignedCommand signed, Reason reason) {
        assertThatThrownBy(() -> verifier.verify(signed))
                .isInstanceOfSatisfying(CommandRejectedException.class, e -> assertThat(e.reason()).isEqualTo(reason));
    }

    @Test
    void signatures_areTheJdksByteForByte_andTheJdkVerifiesThem() throws Exception {
        byte[] payload = Json.write(unlock("acme", "dev-1", NOW, Duration.ofSeconds(10)));
        java.security.Signature jdk = java.security.Signature.getInstance("Ed25519");
        jdk.initSign(tenantKey.getPrivate());
        jdk.update(payload);
        byte[] jdkSignature = jdk.sign();

        SignedCommand ours = signer.sign(unlock("acme", "dev-1", NOW, Duration.ofSeconds(10)));

        assertThat(Base64.getUrlDecoder().decode(ours.signature())).isEqualTo(jdkSignature);
        jdk.initVerify(tenantKey.getPublic());
        jdk.update(Base64.getUrlDecoder().decode(ours.payload()));
        assertThat(jdk.verify(Base64.getUrlDecoder().decode(ours.signature()))).isTrue();
    }

    @Test
    void verify_checksTheRfc8032TestVector_beforeReadingThePayload() {
        // RFC 8032 section 7.1, TEST 2: a one-byte message (0x72) that is not a command.
        byte[] spki = java.util.HexFormat.of().parseHex("302a300506032b6570032100"
                + "3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c");
        byte[] sig = java.util.HexFormat.of().parseHex("92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da"
                + "085ac1e43e15996e458f3613d0f11d8c387b2eaeb4302aeeb00d291612bb0c00");
        CommandVerifier rfc = new CommandVerifier(Map.of("rfc", Keys.decodeCommandPublicKey(Base64.getEncoder().encodeToString(spki))),
                "acme", "dev-1", Clock.fixed(NOW, ZoneOffset.UTC), Duration.ofSeconds(30));
        Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();

        // a valid signature: the check passes and the payload is then refused as not a command
        assertThatThrownBy(() -> rfc.verify(new SignedCommand(b64.encodeToString(new byte[] {0x72}), b64.encodeToString(sig), "rfc")))
                .isInstanceOfSatisfying(CommandRejectedException.class, e -> assertThat(e.reason()).isEqualTo(Reason.MALFORMED));
        sig[0] ^= 1;
        assertThatThrownBy(() -> rfc.verify(new SignedCommand(b64.encodeToString(new byte[] {0x72}), b64.encodeToString(sig), "rfc")))
                .isInstanceOfSatisfying(CommandRejectedException.class, e -> assertThat(e.reason()).isEqualTo(Reason.BAD_SIGNATURE));
    }

    @Test
    void verify_refusesAMalleatedSignature_andOneOfTheWrongLength() {
        SignedCommand genuine = signer.sign(unlock("acme", "dev-1", NOW, Duration.ofSeconds(10)));
        byte[] sig = Base64.getUrlDecoder().decode(genuine.signature());
        // S + L (the group order) is the same scalar mod L: a non-canonical twin RFC 8032 requires refusing.
        java.math.BigInteger order = java.math.BigInteger.TWO.pow(252).add(new java.math.BigInteger("27742317777372353535851937790883648493"));
        byte[] sLittle = java.util.Arrays.copyOfRange(sig, 32, 64);
        byte[] sBig = new byte[33];
        for (int i = 0; i < 32; i++) {
            sBig[32 - i] = sLittle[i];
        }
        byte[] twinBig = new java.math.BigInteger(sBig).add(order).toByteArray();
        byte[] twin = sig.clone();
        java.util.Arrays.fill(twin, 32, 64, (byte) 0);
        for (int i = 0; i < Math.min(32, twinBig.length); i++) {
            twin[32 + i] = twinBig[twinBig.length - 1 - i];
        }
        Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();

        assertRejected(new SignedCommand(genuine.payload(), b64.encodeToString(twin), genuine.keyId()), Reason.BAD_SIGNATURE);
        assertRejected(new SignedCommand(genuine.payload(), b64.encodeToString(java.util.Arrays.copyOf(sig, 63)), genuine.keyId()),
                Reason.BAD_SIGNATURE);
    }

    private static Command endRental(HomeZone zone) {
        return new Command("c-2", "acme", "dev-1", CommandType.END_RENTAL, NOW, NOW.plusSeconds(10), "user-1", zone);
    }

    private static SignedCommand withPayload(SignedCommand genuine, java.util.function.UnaryOperator<String> edit) {
        String json = new String(Base64.getUrlDecoder().decode(genuine.payload()), StandardCharsets.UTF_8);
        String edited = Base64.getUrlEncoder().withoutPadding().encodeToString(edit.apply(json).getBytes(StandardCharsets.UTF_8));
        return new SignedCommand(edited, genuine.signature(), genuine.keyId());
    }

    @Test
    void endRental_carriesItsZone_insideTheSignature() {
        Command command = endRental(new HomeZone(52.52, 13.405, 150));
        SignedCommand signed = signer.sign(command);
        assertThat(verifier.verify(signed)).isEqualTo(command);
        assertThat(verifier.verify(signed).zone().radiusM()).isEqualTo(150);
        // a wider zone, a moved centre or no zone at all: none of them verifies under the genuine signature
        assertRejected(withPayload(signed, j -> j.replace("150.0", "15000.0")), Reason.BAD_SIGNATURE);
        assertRejected(withPayload(signed, j -> j.replace("52.52", "48.85")), Reason.BAD_SIGNATURE);
        assertRejected(withPayload(signed, j -> j.replaceAll(",\"zone\":\\{[^}]*\\}", "")), Reason.BAD_SIGNATURE);
    }

    @Test
    void commandWithoutZone_hasTheBytesOfTheFormatBeforeZones_andStillVerifies() {
        // what a cloud built before END_RENTAL signed: the same fields, no zone key at all
        String old = "{\"id\":\"c-1\",\"tenant\":\"acme\",\"deviceId\":\"dev-1\",\"type\":\"UNLOCK\","
                + "\"issuedAt\":\"2026-11-23T17:00:00Z\",\"expiresAt\":\"2026-11-23T17:00:10Z\",\"actor\":\"user-1\"}";
        Command command = unlock("acme", "dev-1", NOW, Duration.ofSeconds(10));
        assertThat(new String(Json.write(command), StandardCharsets.UTF_8)).isEqualTo(old);
        byte[] payload = old.getBytes(StandardCharsets.UTF_8);
        SignedCommand signedByOldCloud = new SignedCommand(io.latchkey.protocol.Ed25519.base64url(payload),
                io.latchkey.protocol.Ed25519.base64url(io.latchkey.protocol.Ed25519.sign(
                        io.latchkey.protocol.Keys.ed25519(tenantKey.getPrivate()), payload)), "cmd-1");
        assertThat(verifier.verify(signedByOldCloud)).isEqualTo(command);
        assertThat(verifier.verify(signedByOldCloud).zone()).isNull();
    }

    @Test
    void zone_isRefused_onAnyOtherCommand_andWhenOutOfRange() {
        assertThatThrownBy(() -> new Command("c-3", "acme", "dev-1", CommandType.UNLOCK, NOW, NOW.plusSeconds(10), "u",
                new HomeZone(52.5, 13.4, 100))).isInstanceOf(io.latchkey.protocol.MalformedMessageException.class);
        assertThatThrownBy(() -> new HomeZone(91, 13.4, 100)).isInstanceOf(io.latchkey.protocol.MalformedMessageException.class);
        assertThatThrownBy(() -> new HomeZone(52.5, 13.4, 0)).isInstanceOf(io.latchkey.protocol.MalformedMessageException.class);
        assertThatThrownBy(() -> new HomeZone(52.5, 13.4, HomeZone.MAX_RADIUS_M + 1))
                .isInstanceOf(io.latchkey.protocol.MalformedMessageException.class);
        // signed, but with a zone no car can check: refused as malformed, not executed
        SignedCommand signed = signer.sign(endRental(new HomeZone(52.52, 13.405, 150)));
        String json = new String(Base64.getUrlDecoder().decode(signed.payload()), StandardCharsets.UTF_8).replace("150.0", "-1.0");
        byte[] payload = json.getBytes(StandardCharsets.UTF_8);
        SignedCommand bad = new SignedCommand(io.latchkey.protocol.Ed25519.base64url(payload),
                io.latchkey.protocol.Ed25519.base64url(io.latchkey.protocol.Ed25519.sign(
                        io.latchkey.protocol.Keys.ed25519(tenantKey.getPrivate()), payload)), "cmd-1");
        assertRejected(bad, Reason.MALFORMED);
    }

    @Test
    void homeZone_distance_isTheGreatCircleDistance() {
        HomeZone zone = new HomeZone(52.52, 13.405, 300);
        // 0.001 degree of latitude is about 111.2 m anywhere
        assertThat(zone.distanceM(52.521, 13.405)).isBetween(110.0, 112.5);
        assertThat(zone.contains(52.522, 13.405)).isTrue();
        assertThat(zone.contains(52.523, 13.405)).isFalse();
    }
}
