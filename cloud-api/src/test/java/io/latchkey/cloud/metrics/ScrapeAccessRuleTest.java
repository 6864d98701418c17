package io.latchkey.cloud.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micronaut.context.exceptions.ConfigurationException;
import java.net.InetSocketAddress;
import org.junit.jupiter.api.Test;

class ScrapeAccessRuleTest {
    private static final String TOKEN = "0123456789abcdef0123456789abcdef";

    @Test
    void aDirectLoopbackCaller_mayScrape_butNotOneThatCameThroughAProxy() {
        assertThat(ScrapeAccessRule.isDirectLoopback(new InetSocketAddress("127.0.0.1", 5000), false)).isTrue();
        assertThat(ScrapeAccessRule.isDirectLoopback(new InetSocketAddress("::1", 5000), false)).isTrue();
        assertThat(ScrapeAccessRule.isDirectLoopback(new InetSocketAddress("127.0.0.1", 5000), true)).isFalse();
        assertThat(ScrapeAccessRule.isDirectLoopback(new InetSocketAddress("10.0.0.5", 5000), false)).isFalse();
        assertThat(ScrapeAccessRule.isDirectLoopback(null, false)).isFalse();
    }

    @Test
    void theConfiguredScrapeToken_opensTheEndpoint_andNothingElseDoes() {
        ScrapeAccessRule rule = new ScrapeAccessRule(new MetricsConfig(TOKEN));
        assertThat(rule.hasScrapeToken("Bearer " + TOKEN)).isTrue();
        assertThat(rule.hasScrapeToken("bearer " + TOKEN)).isTrue();
        assertThat(rule.hasScrapeToken("Bearer " + TOKEN + "x")).isFalse();
        assertThat(rule.hasScrapeToken("Basic " + TOKEN)).isFalse();
        assertThat(rule.hasScrapeToken(null)).isFalse();
        assertThat(new ScrapeAccessRule(new MetricsConfig(null)).hasScrapeToken("Bearer " + TOKEN)).isFalse();
    }

    @Test
    void onlyTheScrapePath_isDecidedHere() {
        assertThat(ScrapeAccessRule.isScrape("/prometheus")).isTrue();
        assertThat(ScrapeAccessRule.isScrape("/prometheus/x")).isTrue();
        assertThat(ScrapeAccessRule.isScrape("/prometheusx")).isFalse();
        assertThat(ScrapeAccessRule.isScrape("/t/acme/cars")).isFalse();
    }

    @Test
    void aShortScrapeToken_stopsTheStart() {
        assertThatThrownBy(() -> new MetricsConfig("too-short")).isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("latchkey.metrics.scrape-token");
    }
}
