package io.latchkey.cloud.access;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.latchkey.cloud.secrets.SecretStore;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

class ExportTokensTest {
    private static final Instant NOW = Instant.parse("2025-05-01T10:00:00Z");

    /** Secrets in memory, one map per scope. */
    static final class MemorySecrets implements SecretStore {
        private final Map<String, String> values = new ConcurrentHashMap<>();

        @Override
        public Optional<String> get(String scope, String name) {
            return Optional.ofNullable(values.get(scope + "/" + name));
        }

        @Override
        public String getOrCreate(String scope, String name, Supplier<String> generator) {
            return values.computeIfAbsent(scope + "/" + name, k -> generator.get());
        }
    }

    private final MemorySecrets secrets = new MemorySecrets();

    private ExportTokens at(Instant now) {
        return new ExportTokens(secrets, new SecureRandom(), Clock.fixed(now, ZoneOffset.UTC));
    }

    @Test
    void aMintedToken_verifiesForItsTenant_untilItExpires() {
        Instant expiry = NOW.plus(Duration.ofDays(7));
        String token = at(NOW).mint("acme", expiry);
        assertThat(at(NOW).verify("acme", token)).isEqualTo(expiry);
        assertThat(at(expiry.minusSeconds(1)).verify("acme", token)).isEqualTo(expiry);
        assertThatThrownBy(() -> at(expiry).verify("acme", token)).isInstanceOf(InvalidExportTokenException.class);
    }

    @Test
    void aTokenOfOneTenant_isWorthNothingForAnother() {
        String token = at(NOW).mint("acme", NOW.plusSeconds(3600));
        at(NOW).mint("globex", NOW.plusSeconds(3600));
        assertThatThrownBy(() -> at(NOW).verify("globex", token)).isInstanceOf(InvalidExportTokenException.class);
    }

    @Test
    void aTenantThatNeverIssuedALink_acceptsNone() {
        String token = at(NOW).mint("acme", NOW.plusSeconds(3600));
        assertThatThrownBy(() -> at(NOW).verify("initech", token)).isInstanceOf(InvalidExportTokenException.class);
        assertThat(secrets.get("initech", ExportTokens.SECRET_NAME)).isEmpty();
    }

    @Test
    void aLongerExpiryWrittenIntoTheToken_breaksItsSignature() {
        String token = at(NOW).mint("acme", NOW.plusSeconds(3600));
        String payload = new String(Base64.getUrlDecoder().decode(token.substring(0, token.indexOf('.'))), StandardCharsets.UTF_8);
        String extended = payload.replaceFirst("\"exp\":[0-9]+", "\"exp\":" + NOW.plus(Duration.ofDays(365)).getEpochSecond());
        String forged = Base64.getUrlEncoder().withoutPadding().encodeToString(extended.getBytes(StandardCharsets.UTF_8))
                + token.substring(token.indexOf('.'));
        assertThatThrownBy(() -> at(NOW).verify("acme", forged)).isInstanceOf(InvalidExportTokenException.class);
    }

    @Test
    void malformedTokens_areRefused() {
        at(NOW).mint("acme", NOW.plusSeconds(3600));
        for (String bad : new String[] {"", ".", "abc", "abc.", ".abc", "a.b.c", "!!!.???", "x".repeat(600)}) {
            assertThatThrownBy(() -> at(NOW).verify("acme", bad)).as(bad).isInstanceOf(InvalidExportTokenException.class);
        }
    }
}
