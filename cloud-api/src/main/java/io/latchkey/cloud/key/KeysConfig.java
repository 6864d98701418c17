package io.latchkey.cloud.key;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.context.exceptions.ConfigurationException;
import io.micronaut.core.bind.annotation.Bindable;
import java.time.Duration;

/**
 * Offline keys (docs/offline-keys.md).
 *
 * @param lifetime {@code latchkey.keys.lifetime}: the longest a key credential is valid after it was issued
 *                 ({@code notAfter - issuedAt}); it bounds how long a revoked key still opens a car that is offline
 *                 and meets no courier (§6). Default 12 hours; 1 minute to 48 hours.
 */
@ConfigurationProperties("latchkey.keys")
public record KeysConfig(@Bindable(defaultValue = "12h") Duration lifetime) {
    public static final String PREFIX = "latchkey.keys.";

    public KeysConfig {
        if (lifetime == null || lifetime.compareTo(Duration.ofMinutes(1)) < 0 || lifetime.compareTo(Duration.ofHours(48)) > 0) {
            throw new ConfigurationException(PREFIX + "lifetime must be a duration between 1m and 48h, got " + lifetime);
        }
    }
}
