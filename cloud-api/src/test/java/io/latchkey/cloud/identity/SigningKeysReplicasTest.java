package io.latchkey.cloud.identity;

import static org.assertj.core.api.Assertions.assertThat;

import io.latchkey.cloud.secrets.SecretStore;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/** Two replicas' {@link SigningKeys} over one shared secret store. */
class SigningKeysReplicasTest {
    private final SharedSecrets secrets = new SharedSecrets();

    @Test
    void aRotationOnOneReplica_verifiesOnTheOtherAtOnce_andSignsThereWithinTheBound() throws Exception {
        SigningKeys a = new SigningKeys(secrets, new SecureRandom(), Duration.ofMillis(300));
        SigningKeys b = new SigningKeys(secrets, new SecureRandom(), Duration.ofMillis(300));
        String oldKid = b.ensure("acme").getKeys().get(0).getKeyID();
        String newKid = a.rotate("acme", Instant.now(), Instant.now().plusSeconds(900));

        assertThat(b.find("acme").orElseThrow().getKeyByKeyId(newKid)).as("b still has its copy").isNull();
        assertThat(b.find("acme", newKid).orElseThrow().getKeyByKeyId(newKid)).as("an unknown kid reads again").isNotNull();

        SigningKeys c = new SigningKeys(secrets, new SecureRandom(), Duration.ofMillis(300));
        assertThat(c.ensure("acme").getKeys().get(0).getKeyID()).isEqualTo(newKid);
        String rotatedAgain = a.rotate("acme", Instant.now(), Instant.now().plusSeconds(900));
        assertThat(c.ensure("acme").getKeys().get(0).getKeyID()).as("within the bound: its copy").isEqualTo(newKid);
        Thread.sleep(400);
        assertThat(c.ensure("acme").getKeys().get(0).getKeyID()).as("after the bound: the rotated key").isEqualTo(rotatedAgain);
        assertThat(oldKid).isNotEqualTo(newKid);
    }

    @Test
    void madeUpKeyIds_readTheStoreAtMostOncePerSecond() {
        SigningKeys b = new SigningKeys(secrets, new SecureRandom(), Duration.ofMinutes(5));
        b.ensure("acme");
        int before = secrets.reads.get();
        for (int i = 0; i < 50; i++) {
            assertThat(b.find("acme", "es256-madeup" + i)).isPresent();
        }
        assertThat(secrets.reads.get() - before).isEqualTo(1);
    }

    /** One map that every replica's {@link SigningKeys} reads, counting reads. */
    static final class SharedSecrets implements SecretStore {
        final Map<String, String> values = new ConcurrentHashMap<>();
        final AtomicInteger reads = new AtomicInteger();

        @Override
        public Optional<String> get(String scope, String name) {
            reads.incrementAndGet();
            return Optional.ofNullable(values.get(scope + "/" + name));
        }

        @Override
        public String getOrCreate(String scope, String name, Supplier<String> generator) {
            reads.incrementAndGet();
            return values.computeIfAbsent(scope + "/" + name, k -> generator.get());
        }

        @Override
        public String update(String scope, String name, UnaryOperator<String> change) {
            return values.compute(scope + "/" + name, (k, v) -> change.apply(v));
        }
    }
}
