package io.latchkey.agent.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.latchkey.agent.FakeBrokerConnection;
import io.latchkey.agent.TestDeviceKey;
import io.latchkey.agent.config.AgentConfig;
import io.latchkey.agent.config.AgentConfigLoader;
import io.latchkey.agent.mqtt.BrokerConnection;
import io.latchkey.protocol.Channel;
import io.latchkey.protocol.Json;
import io.latchkey.protocol.Keys;
import io.latchkey.protocol.ProtocolException;
import io.latchkey.protocol.command.Command;
import io.latchkey.protocol.command.CommandRejectedException;
import io.latchkey.protocol.command.CommandSigner;
import io.latchkey.protocol.command.CommandType;
import io.latchkey.protocol.command.CommandVerifier;
import io.latchkey.protocol.identity.KeySet;
import io.latchkey.protocol.identity.SignedKeySet;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Key sets on the device: three rotations from the keys pinned at provisioning, persisted, replays and forgeries refused. */
class KeySetsTest {
    private static final Instant NOW = Instant.parse("2026-12-06T01:00:00Z");
    @TempDir
    Path dir;

    private record Generation(int n, KeyPair command, KeyPair update, KeyPair keySet) {
        static Generation make(int n) {
            return new Generation(n, Keys.newCommandKeyPair(), Keys.newCommandKeyPair(), Keys.newCommandKeyPair());
        }

        List<KeySet.Key> keys() {
            return List.of(new KeySet.Key(KeySet.Kind.COMMAND, "cmd-" + n, Keys.encodePublic(command.getPublic())),
                    new KeySet.Key(KeySet.Kind.ISSUING, "cmd-" + n, Keys.encodePublic(command.getPublic())),
                    new KeySet.Key(KeySet.Kind.UPDATE, "upd-" + n, Keys.encodePublic(update.getPublic())),
                    new KeySet.Key(KeySet.Kind.KEYSET, "ks-" + n, Keys.encodePublic(keySet.getPublic())));
        }
    }

    private static SignedKeySet handOver(long serial, Generation signer, Generation next) {
        return SignedKeySet.sign(new KeySet("acme", serial, NOW, next.keys()), "ks-" + signer.n(), signer.keySet().getPrivate());
    }

    /** As provisioning writes it: the first command key and the first key-set key, in agent.properties. */
    private AgentConfig provisioned(Generation first) {
        Map<String, String> properties = new LinkedHashMap<>();
        properties.put("tenant", "acme");
        properties.put("device.id", "dev-001");
        properties.put("mqtt.url", "tcp://127.0.0.1:1883");
        properties.put("command.keys.cmd-1", Keys.encodePublic(first.command().getPublic()));
        properties.put(AgentConfigLoader.KEYSET_KEYS + ".ks-1", Keys.encodePublic(first.keySet().getPublic()));
        properties.put("data.dir", dir.toString());
        return AgentConfigLoader.fromMap(properties, dir).toBuilder().deviceKey(TestDeviceKey.generate().getPrivate()).build();
    }

    @Test
    void aDeviceProvisionedWithTheFirstKeysVerifiesACommandOfTheThirdRotation_acrossRestarts() {
        List<Generation> gens = new ArrayList<>();
        for (int i = 1; i <= 4; i++) {
            gens.add(Generation.make(i));
        }
        AgentConfig config = provisioned(gens.get(0));
        AtomicInteger restarts = new AtomicInteger();
        List<SignedKeySet> sets = new ArrayList<>();
        for (int r = 1; r <= 3; r++) {
            sets.add(handOver(r, gens.get(r - 1), gens.get(r)));
            // each rotation: the process restarts, reading the newest set it saved
            IdentityMaintenance identity = new IdentityMaintenance("dev-001", null, KeySets.open(config), restarts::incrementAndGet);
            FakeBrokerConnection broker = broker(identity);
            broker.deliverIdentity(Channel.KEYS, sets.get(r - 1).toJson());
            assertThat(restarts).hasValue(r);
            // the retained set again at the next connection changes nothing
            broker.deliverIdentity(Channel.KEYS, sets.get(r - 1).toJson());
            assertThat(restarts).hasValue(r);
        }
        AgentConfig effective = KeySets.effective(config);
        assertThat(effective.commandKeys()).containsOnlyKeys("cmd-4");
        assertThat(KeySets.open(config).updateKeys().orElseThrow()).containsOnlyKeys("upd-4");
        CommandVerifier verifier = new CommandVerifier(effective.commandKeys(), "acme", "dev-001", Clock.fixed(NOW, ZoneOffset.UTC),
                Duration.ofSeconds(30));
        Command unlock = new Command("c-1", "acme", "dev-001", CommandType.UNLOCK, NOW.minusSeconds(1), NOW.plusSeconds(30), "u-1");
        assertThat(verifier.verify(Json.write(new CommandSigner(gens.get(3).command().getPrivate(), "cmd-4").sign(unlock)))).isEqualTo(unlock);
        assertThatThrownBy(() -> verifier.verify(Json.write(new CommandSigner(gens.get(0).command().getPrivate(), "cmd-1").sign(unlock))))
                .isInstanceOf(CommandRejectedException.class);

        // a replayed older set is not taken, and leaves the saved one as it was
        KeySets held = KeySets.open(config);
        byte[] saved = readSaved();
        // (the first two were signed by key-set keys rotated out since: refused as untrusted; all refused as not newer
        // if their signer were still trusted, see TrustedKeysTest)
        for (SignedKeySet old : sets.subList(0, 2)) {
            assertThatThrownBy(() -> held.offer(old.toJson())).isInstanceOf(ProtocolException.class);
        }
        assertThat(held.offer(sets.get(2).toJson())).isFalse();
        assertThat(held.current().serial()).isEqualTo(3);
        assertThat(readSaved()).isEqualTo(saved);
    }

    @Test
    void theFirstSetAfterProvisioning_withTheSameCommandKeys_isSavedWithoutARestart() {
        Generation first = Generation.make(1);
        AgentConfig config = provisioned(first);
        AtomicInteger restarts = new AtomicInteger();
        broker(new IdentityMaintenance("dev-001", null, KeySets.open(config), restarts::incrementAndGet))
                .deliverIdentity(Channel.KEYS, handOver(1, first, first).toJson());
        assertThat(restarts).hasValue(0);
        assertThat(KeySets.open(config).current().serial()).isEqualTo(1);
        assertThat(KeySets.open(config).updateKeys().orElseThrow()).containsOnlyKeys("upd-1");
    }

    @Test
    void aForgedSetIsRefusedAndNothingIsSaved() {
        Generation first = Generation.make(1);
        Generation attacker = Generation.make(2);
        AgentConfig config = provisioned(first);
        KeySets sets = KeySets.open(config);
        assertThatThrownBy(() -> sets.offer(handOver(1, attacker, attacker).toJson())).isInstanceOf(ProtocolException.class);
        SignedKeySet claimsTrustedId = SignedKeySet.sign(new KeySet("acme", 1, NOW, attacker.keys()), "ks-1", attacker.keySet().getPrivate());
        assertThatThrownBy(() -> sets.offer(claimsTrustedId.toJson())).isInstanceOf(ProtocolException.class);
        assertThatThrownBy(() -> sets.offer("{\"nonsense\":true}".getBytes())).isInstanceOf(ProtocolException.class);
        // through the agent's seam: refused, logged, no restart
        AtomicInteger restarts = new AtomicInteger();
        broker(new IdentityMaintenance("dev-001", null, sets, restarts::incrementAndGet)).deliverIdentity(Channel.KEYS, claimsTrustedId.toJson());
        assertThat(restarts).hasValue(0);
        assertThat(dir.resolve(KeySets.FILE)).doesNotExist();
        assertThat(KeySets.effective(config).commandKeys()).containsOnlyKeys("cmd-1");
    }

    private byte[] readSaved() {
        try {
            return Files.readAllBytes(dir.resolve(KeySets.FILE));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static FakeBrokerConnection broker(IdentityMaintenance identity) {
        FakeBrokerConnection broker = new FakeBrokerConnection(new byte[0]);
        broker.start(new BrokerConnection.Listener() {
            public void connected() { }
            public void disconnected(Throwable cause) { }
            public void command(byte[] payload) { }
            public void receipt(byte[] payload) { }
            @Override
            public void identity(Channel channel, byte[] payload) {
                identity.message(channel, payload);
            }
        });
        return broker;
    }
}
