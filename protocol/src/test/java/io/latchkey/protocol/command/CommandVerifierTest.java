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
}
