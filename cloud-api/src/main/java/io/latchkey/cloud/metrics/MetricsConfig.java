package io.latchkey.cloud.metrics;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.context.exceptions.ConfigurationException;
import io.micronaut.core.annotation.Nullable;

/**
 * @param scrapeToken {@code latchkey.metrics.scrape-token} ({@code LATCHKEY_METRICS_SCRAPE_TOKEN}): lets a
 *                    Prometheus server elsewhere scrape {@code /prometheus} with
 *                    {@code Authorization: Bearer <token>}; at least 32 characters. Without it only loopback
 *                    callers may scrape.
 */
@ConfigurationProperties("latchkey.metrics")
public record MetricsConfig(@Nullable String scrapeToken) {
    static final int MIN_TOKEN_LENGTH = 32;

    public MetricsConfig {
        if (scrapeToken != null && scrapeToken.isBlank()) {
            scrapeToken = null;
        }
        if (scrapeToken != null && scrapeToken.length() < MIN_TOKEN_LENGTH) {
            throw new ConfigurationException("latchkey.metrics.scrape-token must be at least " + MIN_TOKEN_LENGTH
                    + " characters (a random secret), got " + scrapeToken.length());
        }
    }

    @Override
    public String toString() {
        return "MetricsConfig[scrapeToken=" + (scrapeToken == null ? "unset" : "set") + "]";
    }
}
