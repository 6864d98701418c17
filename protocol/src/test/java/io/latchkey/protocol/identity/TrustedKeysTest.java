package io.latchkey.protocol.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.latchkey.protocol.Json;
import io.latchkey.protocol.Keys;
import io.latchkey.protocol.command.Command;
import io.latchkey.protocol.command.CommandRejectedException;
import io.latchkey.protocol.command.CommandSigner;
import io.latchkey.protocol.command.CommandType;
import io.latchkey.protocol.command.CommandVerifier;
import java.security.KeyPair;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TrustedKeysTest {
    private static final Instant NOW = Instant.parse("2026-12-06T01:00:00Z");
    private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);

    /** One generation of the tenant's keys: command, update, issuing, key-set. */
    private record Generation(int n, KeyPair command, KeyPair update, KeyPair issuing, KeyPair keySet) {
        static Generation make(int n) {
            return new Generation(n, Keys.newCommandKeyPair(), Keys.newCommandKeyPair(), Keys.newCommandKeyPair(), Keys.newCommandKeyPair());
        }

        List<KeySet.Key> keys() {
            return List.of(key(KeySet.Kind.COMMAND, "cmd-" + n, command), key(KeySet.Kind.UPDATE, "upd-" + n, update),
                    key(KeySet.Kind.ISSUING, "iss-" + n, issuing), key(KeySet.Kind.KEYSET, "ks-" + n, keySet));
        }

        Map<KeySet.Kind, Map<String, java.security.PublicKey>> pinned() {
            return Map.of(KeySet.Kind.COMMAND, Map.of("cmd-" + n, command.getPublic()),
                    KeySet.Kind.UPDATE, Map.of("upd-" + n, update.getPublic()),
                    KeySet.Kind.ISSUING, Map.of("iss-" + n, issuing.getPublic()),
                    KeySet.Kind.KEYSET, Map.of("ks-" + n, keySet.getPublic()));
        }
    }

    private static KeySet.Key key(KeySet.Kind kind, String id, KeyPair pair) {
        return new KeySet.Key(kind, id, Keys.encodePublic(pair.getPublic()));
    }

    /** Set {@code serial} listing {@code next}'s keys, signed by {@code signer}'s key-set key (a hand-over). */
    private static SignedKeySet handOver(String tenant, long serial, Generation signer, Generation next) {
        return SignedKeySet.sign(new KeySet(tenant, serial, NOW, next.keys()), "ks-" + signer.n(), signer.keySet().getPrivate());
    }

    private static Command unlock(String id) {
        return new Command(id, "acme", "dev-001", CommandType.UNLOCK, NOW.minusSeconds(1), NOW.plusSeconds(30), "user-1");
    }

    @Test
    void aDeviceProvisionedWithTheFirstKeysFollowsThreeRotationsAndVerifiesTheThirdCommandKey() {
        List<Generation> gens = new ArrayList<>();
        for (int i = 1; i <= 4; i++) {
            gens.add(Generation.make(i));
        }
        TrustedKeys keys = TrustedKeys.pinned("acme", gens.get(0).pinned());
        List<SignedKeySet> published = new ArrayList<>();
        for (int r = 1; r <= 3; r++) {
            SignedKeySet set = handOver("acme", r, gens.get(r - 1), gens.get(r));
            published.add(set);
            // as the device gets it: JSON off the wire
            keys = keys.accept(SignedKeySet.parse(set.toJson()));
            assertThat(keys.serial()).isEqualTo(r);
        }
        Generation third = gens.get(3);
        assertThat(keys.keys(KeySet.Kind.UPDATE)).containsOnlyKeys("upd-4");
        assertThat(keys.keys(KeySet.Kind.KEYSET)).containsOnlyKeys("ks-4");
        CommandVerifier verifier = new CommandVerifier(keys.commandAndIssuingKeys(), "acme", "dev-001", CLOCK, Duration.ofSeconds(30));
        Command command = unlock("c-3");
        assertThat(verifier.verify(Json.write(new CommandSigner(third.command().getPrivate(), "cmd-4").sign(command)))).isEqualTo(command);
        // the first command key is no longer trusted after the rotations
        assertThatThrownBy(() -> verifier.verify(Json.write(new CommandSigner(gens.get(0).command().getPrivate(), "cmd-1").sign(unlock("c-1")))))
                .isInstanceOf(CommandRejectedException.class);
        // every set already seen is refused when replayed
        for (SignedKeySet old : published) {
            TrustedKeys held = keys;
            assertThatThrownBy(() -> held.accept(old)).isInstanceOf(KeySetRejectedException.class);
        }
        assertThat(keys.source()).contains(published.get(2));
    }

    @Test
    void aSkippedHandOverIsRefusedButTheChainCanBeReplayedInOrder() {
        Generation g1 = Generation.make(1);
        Generation g2 = Generation.make(2);
        Generation g3 = Generation.make(3);
        TrustedKeys keys = TrustedKeys.pinned("acme", g1.pinned());
        SignedKeySet second = handOver("acme", 2, g2, g3);
        assertThatThrownBy(() -> keys.accept(second)).isInstanceOf(KeySetRejectedException.class).hasMessageContaining("ks-2");
        assertThat(keys.accept(handOver("acme", 1, g1, g2)).accept(second).serial()).isEqualTo(2);
    }

    @Test
    void aForgedSetIsRefused() {
        Generation g1 = Generation.make(1);
        Generation attacker = Generation.make(9);
        TrustedKeys keys = TrustedKeys.pinned("acme", g1.pinned());
        // signed by a key the device does not trust, naming it
        assertThatThrownBy(() -> keys.accept(handOver("acme", 5, attacker, attacker)))
                .isInstanceOf(KeySetRejectedException.class).hasMessageContaining("not a key-set key");
        // signed by an untrusted key claiming the trusted key's id
        SignedKeySet claimed = SignedKeySet.sign(new KeySet("acme", 5, NOW, attacker.keys()), "ks-1", attacker.keySet().getPrivate());
        assertThatThrownBy(() -> keys.accept(claimed)).isInstanceOf(KeySetRejectedException.class).hasMessageContaining("does not verify");
        // a genuine set's document swapped for another one
        SignedKeySet genuine = handOver("acme", 1, g1, Generation.make(2));
        SignedKeySet tampered = new SignedKeySet(genuine.signerKeyId(), claimed.document(), genuine.signature());
        assertThatThrownBy(() -> keys.accept(tampered)).isInstanceOf(KeySetRejectedException.class);
        // a command key is no key-set key
        SignedKeySet byCommandKey = SignedKeySet.sign(new KeySet("acme", 5, NOW, attacker.keys()), "cmd-1", g1.command().getPrivate());
        assertThatThrownBy(() -> keys.accept(byCommandKey)).isInstanceOf(KeySetRejectedException.class);
        assertThat(keys.serial()).isZero();
    }

    @Test
    void anotherTenantsSetAndAnOlderOrEqualSerialAreRefused() {
        Generation g1 = Generation.make(1);
        Generation g2 = Generation.make(2);
        TrustedKeys keys = TrustedKeys.pinned("acme", g1.pinned());
        assertThatThrownBy(() -> keys.accept(handOver("globex", 1, g1, g2)))
                .isInstanceOf(KeySetRejectedException.class).hasMessageContaining("globex");
        TrustedKeys at3 = keys.accept(handOver("acme", 3, g1, g1));
        assertThatThrownBy(() -> at3.accept(handOver("acme", 3, g1, g2))).isInstanceOf(KeySetRejectedException.class)
                .hasMessageContaining("not newer");
        assertThatThrownBy(() -> at3.accept(handOver("acme", 2, g1, g2))).isInstanceOf(KeySetRejectedException.class);
        assertThat(at3.accept(handOver("acme", 4, g1, g2)).keys(KeySet.Kind.COMMAND)).containsOnlyKeys("cmd-2");
    }
}
