package io.latchkey.cloud.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.latchkey.cloud.InvalidRequestException;
import java.security.SecureRandom;
import org.junit.jupiter.api.Test;

class PasswordHasherTest {
    static final PasswordHasher HASHER = new PasswordHasher(new SecureRandom());

    @Test
    void hash_isArgon2id_withTheDocumentedParameters_andARandomSalt() {
        String a = HASHER.hash("correct horse battery staple");
        String b = HASHER.hash("correct horse battery staple");
        assertThat(a).startsWith("$argon2id$v=19$m=19456,t=2,p=1$");
        assertThat(a).isNotEqualTo(b);
        assertThat(HASHER.verify("correct horse battery staple", a)).isTrue();
        assertThat(HASHER.verify("correct horse battery stapler", a)).isFalse();
    }

    @Test
    void longPasswords_areNotTruncated() {
        String prefix = "x".repeat(100);
        String hash = HASHER.hash(prefix + "1");
        assertThat(HASHER.verify(prefix + "1", hash)).isTrue();
        assertThat(HASHER.verify(prefix + "2", hash)).isFalse();
    }

    @Test
    void verify_ofAnythingButAnArgon2idHash_isFalse() {
        assertThat(HASHER.verify("pw", "plain")).isFalse();
        assertThat(HASHER.verify("pw", "$argon2i$v=19$m=16,t=1,p=1$AAAA$AAAA")).isFalse();
        assertThat(HASHER.verify("pw", null)).isFalse();
    }

    @Test
    void policy_countsCodePoints_andAcceptsLongPasswords() {
        assertThatThrownBy(() -> PasswordPolicy.check("elevenchars", null)).isInstanceOf(InvalidRequestException.class);
        PasswordPolicy.check("😀".repeat(12), null);
        PasswordPolicy.check("p".repeat(64), null);
        PasswordPolicy.check("p".repeat(PasswordPolicy.MAX_LENGTH), null);
        assertThatThrownBy(() -> PasswordPolicy.check("bob@example.com", "bob@example.com"))
                .isInstanceOf(InvalidRequestException.class);
    }
}
