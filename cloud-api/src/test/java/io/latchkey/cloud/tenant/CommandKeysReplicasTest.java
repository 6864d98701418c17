package io.latchkey.cloud.tenant;

import static org.assertj.core.api.Assertions.assertThat;

import io.latchkey.cloud.it.MutableClock;
import io.latchkey.cloud.secrets.SecretStore;
import io.latchkey.protocol.command.Command;
import io.latchkey.protocol.command.CommandType;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/** Two replicas' {@link CommandKeys} over one shared secret store, each with its own clock. */
class CommandKeysReplicasTest {
    private final Map<String, String> shared = new ConcurrentHashMap<>();
    private final MutableClock clockOfA = new MutableClock();
    private final MutableClock clockOfB = new MutableClock();
    private final CommandKeys a = new CommandKeys(new MapSecrets(shared), clockOfA);
    private final CommandKeys b = new CommandKeys(new MapSecrets(shared), clockOfB);

    @Test
    void aRotationOnOneReplica_signsOnTheOtherWithinFreshFor_andTheOldKeyStaysTrustedForRetiredFor() {
        assertThat(kidSigning(b)).isEqualTo("cmd-1");
        assertThat(a.rotate("acme")).isEqualTo("cmd-2");

        assertThat(kidSigning(a)).isEqualTo("cmd-2");
        assertThat(kidSigning(b)).as("b's copy, younger than FRESH_FOR").isEqualTo("cmd-1");
        assertThat(kids(a.publicKeys("acme"))).as("what devices pin: the signer and the next").containsExactly("cmd-2", "cmd-3");
        assertThat(kids(b.trustedKeys("acme"))).as("the key set's keys, read from the store on any replica")
                .containsExactly("cmd-2", "cmd-3", "cmd-1");
        String stored = shared.get("acme/command-keys");
        assertThat(stored).containsOnlyOnce("\"retiredUntil\"");
        assertThat(stored.split("\"privateKey\"", -1)).as("the retired key keeps only its public half: 2 private keys").hasSize(3);

        clockOfB.advance(CommandKeys.FRESH_FOR.plusSeconds(1));
        assertThat(kidSigning(b)).as("after FRESH_FOR: b read the rotation").isEqualTo("cmd-2");
        assertThat(b.retirementEnded("acme")).isFalse();

        clockOfB.advance(CommandKeys.RETIRED_FOR);
        assertThat(b.retirementEnded("acme")).isTrue();
        assertThat(kids(b.trustedKeys("acme"))).containsExactly("cmd-2", "cmd-3");
        assertThat(kids(a.trustedKeys("acme"))).as("a's clock: the grace is not over there yet").containsExactly("cmd-2", "cmd-3", "cmd-1");
    }

    @Test
    void rotationsInARow_keepEveryRetiredKeyForItsTime_andTheNextRotationDropsThoseWhoseTimeIsOver() {
        a.rotate("acme");
        clockOfA.advance(Duration.ofMinutes(1));
        a.rotate("acme");
        assertThat(kidSigning(a)).isEqualTo("cmd-3");
        assertThat(kids(a.trustedKeys("acme"))).containsExactly("cmd-3", "cmd-4", "cmd-2", "cmd-1");
        clockOfA.advance(CommandKeys.RETIRED_FOR.minusSeconds(30));
        assertThat(kids(a.trustedKeys("acme"))).as("cmd-1's time is over, cmd-2's not").containsExactly("cmd-3", "cmd-4", "cmd-2");
        a.rotate("acme");
        assertThat(shared.get("acme/command-keys")).doesNotContain("\"cmd-1\"");
        assertThat(kids(a.trustedKeys("acme"))).containsExactly("cmd-4", "cmd-5", "cmd-3", "cmd-2");
        assertThat(kids(a.publicKeys("acme"))).containsExactly("cmd-4", "cmd-5");
    }

    private static String kidSigning(CommandKeys keys) {
        Instant now = Instant.now();
        return keys.signer("acme").sign(new Command("c-1", "acme", "dev-1", CommandType.LOCK, now, now.plusSeconds(10), "u-1")).keyId();
    }

    private static List<String> kids(List<CommandKeys.PublicCommandKey> keys) {
        return keys.stream().map(CommandKeys.PublicCommandKey::kid).toList();
    }

    /** A replica's view of the one shared store. */
    private record MapSecrets(Map<String, String> values) implements SecretStore {
        @Override
        public Optional<String> get(String scope, String name) {
            return Optional.ofNullable(values.get(scope + "/" + name));
        }

        @Override
        public String getOrCreate(String scope, String name, Supplier<String> generator) {
            return values.computeIfAbsent(scope + "/" + name, k -> generator.get());
        }

        @Override
        public String update(String scope, String name, UnaryOperator<String> change) {
            return values.compute(scope + "/" + name, (k, v) -> change.apply(v));
        }
    }
}
