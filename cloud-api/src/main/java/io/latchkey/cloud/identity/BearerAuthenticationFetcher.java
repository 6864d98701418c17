package io.latchkey.cloud.identity;

import com.nimbusds.jwt.SignedJWT;
import io.latchkey.protocol.Topic;
import io.micronaut.core.async.publisher.Publishers;
import io.micronaut.http.HttpRequest;
import io.micronaut.security.authentication.Authentication;
import io.micronaut.security.filters.AuthenticationFetcher;
import jakarta.inject.Singleton;
import java.text.ParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.reactivestreams.Publisher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns {@code Authorization: Bearer <jwt>} into an {@link Authentication}, verifying the token against
 * the issuer the request path names: {@code /t/{tenant}/...} the tenant's, {@code /platform/...} the
 * platform's. A token of another tenant, a forged one, or one whose account was terminated, locked or
 * had its sessions revoked, yields no authentication and marks the request, so that
 * {@link PresentedTokenRule} answers 401 even on routes open to anonymous callers. The token itself is
 * never logged.
 */
@Singleton
public class BearerAuthenticationFetcher implements AuthenticationFetcher<HttpRequest<?>> {
    public static final String TENANT_ATTRIBUTE = "tenant";
    /** The token's expiry ({@link java.time.Instant}), for work that outlives the request (a live stream ends then). */
    public static final String EXPIRES_ATTRIBUTE = "expiresAt";
    /** Request attribute set when a bearer token was presented and refused. */
    public static final String REFUSED_TOKEN_ATTRIBUTE = "latchkey.refused-bearer-token";
    private static final Logger LOG = LoggerFactory.getLogger(BearerAuthenticationFetcher.class);
    private static final String PREFIX = "Bearer ";

    private final TokenService tokens;
    private final SessionPolicy sessions;
    private final SecurityCounters counters;

    public BearerAuthenticationFetcher(TokenService tokens, SessionPolicy sessions, SecurityCounters counters) {
        this.tokens = tokens;
        this.sessions = sessions;
        this.counters = counters;
    }

    @Override
    public Publisher<Authentication> fetchAuthentication(HttpRequest<?> request) {
        Optional<String> header = request.getHeaders().getAuthorization();
        if (header.isEmpty() || !header.get().regionMatches(true, 0, PREFIX, 0, PREFIX.length())) {
            return Publishers.empty();
        }
        Optional<IssuerScope> scope = IssuerScope.of(request.getPath());
        if (scope.isEmpty()) {
            return Publishers.empty();
        }
        String token = header.get().substring(PREFIX.length()).strip();
        try {
            AccessToken verified = tokens.verify(scope.get().tenant(), token);
            if (!sessions.admits(verified)) {
                throw new InvalidTokenException("the account's sessions were ended");
            }
            return Publishers.just(toAuthentication(verified));
        } catch (InvalidTokenException e) {
            counters.rejectedToken();
            if (claimsAnotherTenant(token, scope.get().tenant())) {
                counters.crossTenantRefusal(scope.get().tenant());
            }
            request.setAttribute(REFUSED_TOKEN_ATTRIBUTE, Boolean.TRUE);
            LOG.debug("bearer token refused on {}: {}", request.getPath(), e.getMessage());
            return Publishers.empty();
        }
    }

    /** Unverified peek: does the token say it belongs to another tenant (or the platform)? Only for counting. */
    private static boolean claimsAnotherTenant(String token, String pathTenant) {
        try {
            String claimed = SignedJWT.parse(token).getJWTClaimsSet().getStringClaim("tenant");
            return !Objects.equals(claimed, pathTenant);
        } catch (ParseException | RuntimeException e) {
            return false;
        }
    }

    private static Authentication toAuthentication(AccessToken token) {
        List<String> roles = new ArrayList<>(token.roles());
        if (token.tenant() != null) {
            roles.retainAll(Roles.TENANT_ROLES);
        }
        Map<String, Object> attributes = new HashMap<>();
        if (token.tenant() != null) {
            attributes.put(TENANT_ATTRIBUTE, token.tenant());
        }
        if (token.expiresAt() != null) {
            attributes.put(EXPIRES_ATTRIBUTE, token.expiresAt());
        }
        return Authentication.build(token.subject(), roles, attributes);
    }

    /** Whose keys a path's tokens must verify against. {@code tenant} is null for the platform. */
    record IssuerScope(String tenant) {
        static Optional<IssuerScope> of(String path) {
            if (path.startsWith("/platform/")) {
                return Optional.of(new IssuerScope(null));
            }
            if (path.startsWith("/t/")) {
                int end = path.indexOf('/', 3);
                String tenant = end < 0 ? path.substring(3) : path.substring(3, end);
                return Topic.isValidTenantId(tenant) ? Optional.of(new IssuerScope(tenant)) : Optional.empty();
            }
            return Optional.empty();
        }
    }
}
