package io.latchkey.cloud.metrics;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.async.publisher.Publishers;
import io.micronaut.http.HttpRequest;
import io.micronaut.security.authentication.Authentication;
import io.micronaut.security.rules.SecurityRule;
import io.micronaut.security.rules.SecurityRuleResult;
import jakarta.inject.Singleton;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;
import org.reactivestreams.Publisher;

/**
 * Who may read {@code /prometheus}: a caller on the loopback interface that came through no proxy (a local
 * Prometheus or node agent), or one presenting the configured scrape token. Platform-admin access tokens
 * live 15 minutes and come from a password grant, which suits no scraper, so they are not the key here.
 * Decides before every other rule; other paths are left to them.
 */
@Singleton
public class ScrapeAccessRule implements SecurityRule<HttpRequest<?>> {
    public static final String PATH = "/prometheus";
    /** Requests that name an original client came through a proxy: their socket peer says nothing. */
    static final List<String> FORWARDING_HEADERS = List.of("Forwarded", "X-Forwarded-For", "X-Real-IP");
    private static final String BEARER = "Bearer ";

    private final byte[] scrapeToken;

    public ScrapeAccessRule(MetricsConfig config) {
        this.scrapeToken = config.scrapeToken() == null ? null : config.scrapeToken().getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public Publisher<SecurityRuleResult> check(@Nullable HttpRequest<?> request, @Nullable Authentication authentication) {
        if (request == null || !isScrape(request.getPath())) {
            return Publishers.just(SecurityRuleResult.UNKNOWN);
        }
        boolean allowed = hasScrapeToken(request.getHeaders().getAuthorization().orElse(null))
                || isDirectLoopback(request.getRemoteAddress(), FORWARDING_HEADERS.stream().anyMatch(request.getHeaders()::contains));
        return Publishers.just(allowed ? SecurityRuleResult.ALLOWED : SecurityRuleResult.REJECTED);
    }

    @Override
    public int getOrder() {
        return Integer.MIN_VALUE + 1000;
    }

    static boolean isScrape(String path) {
        return PATH.equals(path) || path.startsWith(PATH + "/");
    }

    static boolean isDirectLoopback(@Nullable InetSocketAddress peer, boolean forwarded) {
        if (forwarded || peer == null) {
            return false;
        }
        InetAddress address = peer.getAddress();
        return address != null && address.isLoopbackAddress();
    }

    boolean hasScrapeToken(@Nullable String authorization) {
        if (scrapeToken == null || authorization == null || !authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            return false;
        }
        byte[] presented = authorization.substring(BEARER.length()).strip().getBytes(StandardCharsets.UTF_8);
        return MessageDigest.isEqual(presented, scrapeToken);
    }
}
