package io.latchkey.cloud.identity;

import io.micronaut.core.order.Ordered;
import io.micronaut.http.HttpRequest;
import io.micronaut.security.token.Claims;
import io.micronaut.security.token.jwt.validator.GenericJwtClaimsValidator;
import jakarta.inject.Singleton;
import java.util.Optional;

/**
 * The token must still speak for a live account: it has a subject and roles, and {@link SessionPolicy#admits} it
 * (its {@code sv} is the account's current session version, so a lock, termination or completed password reset ends
 * it at once). Runs last: it is the one check that reads the store. Before that read, the routes' {@link ReadAhead}s
 * start theirs, so that they travel to the store together.
 */
@Singleton
public class SessionVersionClaimsValidator implements GenericJwtClaimsValidator<HttpRequest<?>>, Ordered {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(SessionVersionClaimsValidator.class);
    private final SessionPolicy sessions;
    private final java.util.List<ReadAhead> readAheads;

    public SessionVersionClaimsValidator(SessionPolicy sessions, java.util.List<ReadAhead> readAheads) {
        this.sessions = sessions;
        this.readAheads = readAheads;
    }

    @Override
    public boolean validate(Claims claims, HttpRequest<?> request) {
        Optional<AccessToken> token = AccessTokenAuthentication.accessToken(claims);
        if (token.isEmpty()) {
            return false;
        }
        if (request != null) {
            for (ReadAhead readAhead : readAheads) {
                try {
                    readAhead.start(request, token.get());
                } catch (RuntimeException e) {
                    LOG.debug("read-ahead for {} not started: {}", request.getPath(), e.toString());
                }
            }
        }
        return sessions.admits(token.get());
    }

    @Override
    public int getOrder() {
        return 100;
    }
}
