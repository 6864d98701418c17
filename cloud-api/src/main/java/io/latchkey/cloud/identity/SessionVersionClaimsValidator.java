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
 * it at once). Runs last: it is the one check that reads the store.
 */
@Singleton
public class SessionVersionClaimsValidator implements GenericJwtClaimsValidator<HttpRequest<?>>, Ordered {
    private final SessionPolicy sessions;

    public SessionVersionClaimsValidator(SessionPolicy sessions) {
        this.sessions = sessions;
    }

    @Override
    public boolean validate(Claims claims, HttpRequest<?> request) {
        Optional<AccessToken> token = AccessTokenAuthentication.accessToken(claims);
        return token.isPresent() && sessions.admits(token.get());
    }

    @Override
    public int getOrder() {
        return 100;
    }
}
