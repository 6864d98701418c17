package io.latchkey.cloud.identity;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.context.exceptions.ConfigurationException;
import io.micronaut.core.bind.annotation.Bindable;
import java.time.Duration;

/**
 * @param accessTtl  {@code latchkey.tokens.access-ttl}: access-token lifetime, at most 15 minutes
 * @param refreshTtl {@code latchkey.tokens.refresh-ttl}: refresh-token lifetime (each use rotates it)
 */
@ConfigurationProperties("latchkey.tokens")
public record TokenConfig(@Bindable(defaultValue = "15m") Duration accessTtl,
                          @Bindable(defaultValue = "12h") Duration refreshTtl) {
    public static final Duration MAX_ACCESS_TTL = Duration.ofMinutes(15);

    public TokenConfig {
        if (accessTtl == null || accessTtl.isNegative() || accessTtl.isZero() || accessTtl.compareTo(MAX_ACCESS_TTL) > 0) {
            throw new ConfigurationException("latchkey.tokens.access-ttl must be more than 0 and at most 15m, got " + accessTtl);
        }
        if (refreshTtl == null || refreshTtl.isNegative() || refreshTtl.isZero() || refreshTtl.compareTo(Duration.ofDays(30)) > 0) {
            throw new ConfigurationException("latchkey.tokens.refresh-ttl must be more than 0 and at most 30d, got " + refreshTtl);
        }
    }
}
