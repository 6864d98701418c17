package io.latchkey.cloud.web;

import io.latchkey.cloud.identity.AccessTokenAuthentication;
import io.latchkey.cloud.identity.Roles;
import io.latchkey.cloud.identity.TokenConfig;
import io.latchkey.protocol.Topic;
import io.micronaut.core.async.publisher.Publishers;
import io.micronaut.http.HttpMethod;
import io.micronaut.http.HttpRequest;
import io.micronaut.security.authentication.Authentication;
import io.micronaut.security.filters.AuthenticationFetcher;
import jakarta.inject.Singleton;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.reactivestreams.Publisher;

/**
 * The browser session cookie as the caller's credential on {@code /t/{tenant}/...}, read only from that tenant's
 * cookie and looked up in that tenant's store: the web apps call the same routes as every client, and every tenant,
 * role and PII rule applies unchanged. A request with an {@code Authorization} header is left to the bearer token.
 * A state-changing request (anything but GET, HEAD, OPTIONS) counts as the session's only with its
 * {@code X-CSRF-Token} header and, when the browser sends one, an {@code Origin} of this service; without them it is
 * anonymous (401 where a caller is needed). Work that outlives the request (a live stream) is bounded as for an access
 * token: {@link AccessTokenAuthentication#EXPIRES_ATTRIBUTE} is at most {@code latchkey.tokens.access-ttl} away, so
 * a stream of a session that was logged out or revoked ends within that time, and its reconnection is checked again.
 */
@Singleton
public class SessionAuthenticationFetcher implements AuthenticationFetcher<HttpRequest<?>> {
    public static final String CSRF_HEADER = "X-CSRF-Token";
    /** Request attribute: the key of the browser session the request was authenticated by. */
    public static final String SESSION_ATTRIBUTE = "latchkey.web-session";
    private static final Set<HttpMethod> SAFE = Set.of(HttpMethod.GET, HttpMethod.HEAD, HttpMethod.OPTIONS);

    private final WebSessions sessions;
    private final SameOrigin sameOrigin;
    private final TokenConfig tokens;
    private final Clock clock;

    public SessionAuthenticationFetcher(WebSessions sessions, SameOrigin sameOrigin, TokenConfig tokens, Clock clock) {
        this.sessions = sessions;
        this.sameOrigin = sameOrigin;
        this.tokens = tokens;
        this.clock = clock;
    }

    @Override
    public Publisher<Authentication> fetchAuthentication(HttpRequest<?> request) {
        if (request.getHeaders().getAuthorization().isPresent()) {
            return Publishers.empty();
        }
        Optional<String> tenant = tenantOf(request.getPath());
        Optional<String> cookie = tenant.flatMap(t -> BrowserCookies.read(request, BrowserCookies.session(t)));
        if (cookie.isEmpty()) {
            return Publishers.empty();
        }
        Optional<WebSessions.Active> session = sessions.find(tenant.get(), cookie.get());
        if (session.isEmpty() || !SAFE.contains(request.getMethod()) && !csrfProven(request, session.get())) {
            return Publishers.empty();
        }
        request.setAttribute(SESSION_ATTRIBUTE, session.get());
        List<String> roles = new ArrayList<>(session.get().roles());
        roles.retainAll(Roles.TENANT_ROLES);
        Instant horizon = clock.instant().plus(tokens.accessTtl());
        Instant expires = session.get().expiresAt().isBefore(horizon) ? session.get().expiresAt() : horizon;
        return Publishers.just(Authentication.build(session.get().userId(), roles,
                Map.of(AccessTokenAuthentication.TENANT_ATTRIBUTE, tenant.get(), AccessTokenAuthentication.EXPIRES_ATTRIBUTE, expires)));
    }

    private boolean csrfProven(HttpRequest<?> request, WebSessions.Active session) {
        String header = request.getHeaders().get(CSRF_HEADER);
        return header != null && sameOrigin.admits(request) && MessageDigest.isEqual(
                header.getBytes(StandardCharsets.UTF_8), session.csrfToken().getBytes(StandardCharsets.UTF_8));
    }

    static Optional<String> tenantOf(String path) {
        if (!path.startsWith("/t/")) {
            return Optional.empty();
        }
        int end = path.indexOf('/', 3);
        String tenant = end < 0 ? path.substring(3) : path.substring(3, end);
        return Topic.isValidTenantId(tenant) ? Optional.of(tenant) : Optional.empty();
    }
}
