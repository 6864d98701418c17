package io.latchkey.cloud.identity;

import io.micronaut.core.order.Ordered;
import io.micronaut.http.HttpRequest;
import io.micronaut.security.authentication.Authentication;
import io.micronaut.security.rules.SecurityRule;
import io.micronaut.security.rules.SecurityRuleResult;
import jakarta.inject.Singleton;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Mono;

/**
 * A request that presents a bearer token which does not verify is refused (401) on every route, also on
 * those open to anonymous callers: a token of tenant B sent to {@code /t/A/users} must not quietly
 * register a user, nor a forged token read a public document as if nothing were wrong. Runs before the
 * {@code @Secured} rule.
 */
@Singleton
public class PresentedTokenRule implements SecurityRule<HttpRequest<?>> {
    @Override
    public Publisher<SecurityRuleResult> check(HttpRequest<?> request, Authentication authentication) {
        boolean refused = request.getAttribute(BearerAuthenticationFetcher.REFUSED_TOKEN_ATTRIBUTE, Boolean.class)
                .orElse(false);
        return Mono.just(refused ? SecurityRuleResult.REJECTED : SecurityRuleResult.UNKNOWN);
    }

    @Override
    public int getOrder() {
        return Ordered.HIGHEST_PRECEDENCE;
    }
}
