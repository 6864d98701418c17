package io.latchkey.cloud.identity;

import com.nimbusds.jwt.JWTParser;
import io.micronaut.core.order.Ordered;
import io.micronaut.http.HttpRequest;
import io.micronaut.security.authentication.Authentication;
import io.micronaut.security.rules.SecurityRule;
import io.micronaut.security.rules.SecurityRuleResult;
import jakarta.inject.Singleton;
import java.text.ParseException;
import java.util.Objects;
import java.util.Optional;
import org.reactivestreams.Publisher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;

/**
 * A request that presents a bearer token which does not verify is refused (401) on every route, also on
 * those open to anonymous callers: a token of tenant B sent to {@code /t/A/users} must not quietly
 * register a user, nor a forged token read a public document as if nothing were wrong. Runs before the
 * {@code @Secured} rule.
 *
 * <p>micronaut-security-jwt verifies the token (its {@code TokenAuthenticationFetcher} with {@link TenantSignatures}
 * and the claims validators of this package) and yields no authentication for a bad one, without saying so; a request
 * to {@code /t/{tenant}/...} or {@code /platform/...} with an {@code Authorization: Bearer} header and no
 * authentication therefore carries a refused token (the browser session is not read when that header is present).
 * Such a refusal is counted ({@link SecurityCounters}), as a cross-tenant one when the token's unverified
 * {@code tenant} claim names another tenant. The token itself is never logged.
 */
@Singleton
public class PresentedTokenRule implements SecurityRule<HttpRequest<?>> {
    private static final Logger LOG = LoggerFactory.getLogger(PresentedTokenRule.class);
    private static final String PREFIX = "Bearer ";

    private final SecurityCounters counters;

    public PresentedTokenRule(SecurityCounters counters) {
        this.counters = counters;
    }

    @Override
    public Publisher<SecurityRuleResult> check(HttpRequest<?> request, Authentication authentication) {
        if (authentication != null) {
            return Mono.just(SecurityRuleResult.UNKNOWN);
        }
        Optional<String> header = request.getHeaders().getAuthorization();
        if (header.isEmpty() || !header.get().regionMatches(true, 0, PREFIX, 0, PREFIX.length())) {
            return Mono.just(SecurityRuleResult.UNKNOWN);
        }
        Optional<TokenIssuers.PathScope> scope = TokenIssuers.PathScope.of(request.getPath());
        if (scope.isEmpty()) {
            return Mono.just(SecurityRuleResult.UNKNOWN);
        }
        counters.rejectedToken();
        if (claimsAnotherTenant(header.get().substring(PREFIX.length()).strip(), scope.get().tenant())) {
            counters.crossTenantRefusal(scope.get().tenant());
        }
        LOG.debug("bearer token refused on {}", request.getPath());
        return Mono.just(SecurityRuleResult.REJECTED);
    }

    /** Unverified peek: does the token say it belongs to another tenant (or the platform)? Only for counting. */
    private static boolean claimsAnotherTenant(String token, String pathTenant) {
        try {
            Object claimed = JWTParser.parse(token).getJWTClaimsSet().getClaim(AccessTokenAuthentication.TENANT_CLAIM);
            return !Objects.equals(claimed, pathTenant);
        } catch (ParseException | RuntimeException e) {
            return false;
        }
    }

    @Override
    public int getOrder() {
        return Ordered.HIGHEST_PRECEDENCE;
    }
}
