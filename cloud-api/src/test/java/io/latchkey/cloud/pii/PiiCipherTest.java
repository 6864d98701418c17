package io.latchkey.cloud.pii;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.latchkey.cloud.LatchkeyConfig;
import io.latchkey.cloud.it.MutableClock;
import io.latchkey.cloud.secrets.FileSecretStore;
import io.latchkey.cloud.secrets.SecretStore;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PiiCipherTest {
    private static final String EMAIL = "tess.terminated@acme.test";

    @TempDir
    Path dataDir;
    final SecureRandom random = new SecureRandom();
    final MutableClock clock = new MutableClock();
    SecretStore secrets;
    PiiCipher cipher;

    @BeforeEach
    void setUp() {
        secrets = secretStore(dataDir);
        cipher = new PiiCipher(secrets, random, clock);
    }

    @Test
    void sealedValues_holdNoClearText_andOpenOnlyForTheirTenantUserAndRecord() {
        String sealed = cipher.seal("acme", "u-1", "users/u-1", EMAIL);

        assertThat(sealed).startsWith("pii1:").doesNotContain(EMAIL).doesNotContain("tess");
        assertThat(cipher.seal("acme", "u-1", "users/u-1", EMAIL)).as("a fresh IV each time").isNotEqualTo(sealed);
        assertThat(cipher.open("acme", "u-1", "users/u-1", sealed)).isEqualTo(EMAIL);
        cipher.seal("acme", "u-2", "users/u-2", "someone else");
        assertThatThrownBy(() -> cipher.open("acme", "u-1", "users/u-2", sealed)).isExactlyInstanceOf(PiiKeyException.class);
        assertThatThrownBy(() -> cipher.open("acme", "u-2", "users/u-1", sealed)).isExactlyInstanceOf(PiiKeyException.class);
        String tampered = sealed.substring(0, sealed.length() - 4) + (sealed.endsWith("AAA=") ? "BBB=" : "AAA=");
        assertThatThrownBy(() -> cipher.open("acme", "u-1", "users/u-1", tampered)).isExactlyInstanceOf(PiiKeyException.class);
        assertThatThrownBy(() -> cipher.open("acme", "u-1", "users/u-1", EMAIL))
                .isInstanceOf(PiiKeyException.class).message().doesNotContain(EMAIL);
    }

    @Test
    void shredding_destroysTheUsersKey_soItsValuesAreErased_andOtherUsersKeepTheirs() {
        String tess = cipher.seal("acme", "u-1", "users/u-1", EMAIL);
        String bob = cipher.seal("acme", "u-2", "users/u-2", "bob@acme.test");

        assertThat(cipher.shred("acme", "u-1")).isTrue();

        assertThatThrownBy(() -> cipher.open("acme", "u-1", "users/u-1", tess))
                .isInstanceOf(PiiErasedException.class).message().contains("u-1").doesNotContain(EMAIL);
        assertThat(cipher.open("acme", "u-2", "users/u-2", bob)).isEqualTo("bob@acme.test");
        assertThat(cipher.shred("acme", "u-1")).as("idempotent").isFalse();
        PiiCipher restarted = new PiiCipher(secretStore(dataDir), random, clock);
        assertThatThrownBy(() -> restarted.open("acme", "u-1", "users/u-1", tess)).isInstanceOf(PiiErasedException.class);
        assertThat(restarted.open("acme", "u-2", "users/u-2", bob)).isEqualTo("bob@acme.test");
    }

    @Test
    void anotherSecretStore_isAClearError_notAnErasure(@TempDir Path elsewhere) {
        String sealed = cipher.seal("acme", "u-1", "users/u-1", EMAIL);

        PiiCipher wrongStore = new PiiCipher(secretStore(elsewhere), random, clock);

        assertThatThrownBy(() -> wrongStore.open("acme", "u-1", "users/u-1", sealed))
                .isExactlyInstanceOf(PiiKeyException.class)
                .hasMessageContaining("pii-tenant-key is missing").message().doesNotContain(EMAIL);
    }

    @Test
    void aUserKeyWrappedByAnotherTenantKey_doesNotOpen() {
        String sealed = cipher.seal("acme", "u-1", "users/u-1", EMAIL);
        String wrapped = secrets.get("acme", PiiCipher.USER_KEY_PREFIX + "u-1").orElseThrow();
        new PiiCipher(secrets, random, clock).seal("globex", "u-1", "users/u-1", "x");
        secrets.update("globex", PiiCipher.USER_KEY_PREFIX + "u-1", old -> wrapped);

        PiiCipher fresh = new PiiCipher(secrets, random, clock);
        assertThatThrownBy(() -> fresh.open("globex", "u-1", "users/u-1", sealed))
                .isExactlyInstanceOf(PiiKeyException.class).hasMessageContaining("does not open");
    }

    @Test
    void anotherReplicasShredding_takesEffectHere_withinTheCacheTime() {
        String sealed = cipher.seal("acme", "u-1", "users/u-1", EMAIL);
        PiiCipher otherReplica = new PiiCipher(secrets, random, clock);

        otherReplica.shred("acme", "u-1");

        assertThat(cipher.open("acme", "u-1", "users/u-1", sealed)).as("cached").isEqualTo(EMAIL);
        clock.advance(PiiCipher.USER_KEY_FRESH_FOR.plus(Duration.ofSeconds(1)));
        assertThatThrownBy(() -> cipher.open("acme", "u-1", "users/u-1", sealed)).isInstanceOf(PiiErasedException.class);
    }

    @Test
    void theEmailIndex_isKeyedPerTenant_andNotAPlainHash() throws Exception {
        String acme = cipher.emailIndex("acme", EMAIL);
        String sha256 = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(EMAIL.getBytes(StandardCharsets.UTF_8)));

        assertThat(acme).hasSize(64).isEqualTo(new PiiCipher(secretStore(dataDir), random, clock).emailIndex("acme", EMAIL))
                .isNotEqualTo(cipher.emailIndex("globex", EMAIL)).isNotEqualTo(sha256)
                .isNotEqualTo(cipher.emailIndex("acme", "other@acme.test"));
    }

    private SecretStore secretStore(Path dir) {
        return new FileSecretStore(new LatchkeyConfig(dir.toString(), null), random);
    }
}
