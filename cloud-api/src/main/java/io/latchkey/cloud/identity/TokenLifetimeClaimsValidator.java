package io.latchkey.cloud.identity;

import io.micronaut.core.order.Ordered;
import io.micronaut.http.HttpRequest;
import io.micronaut.security.token.Claims;
import io.micronaut.security.token.jwt.validator.GenericJwtClaimsValidator;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.Instant;
import java.util.Date;

/**
 * {@code exp} is required and must be in the future, {@code nbf}, when present, not; no leeway, on the application's
 * {@link Clock} (tests move it). Replaces the library's expiration and not-before validators, which read the system
 * time, accept a token without {@code exp} and one at the very instant of its {@code exp}
 * ({@code micronaut.security.token.jwt.claims-validators.expiration: false}; not-before is off by default).
 */
@Singleton
public class TokenLifetimeClaimsValidator implements GenericJwtClaimsValidator<HttpRequest<?>>, Ordered {
    private final Clock clock;

    public TokenLifetimeClaimsValidator(Clock clock) {
        this.clock = clock;
    }

    @Override
    public boolean validate(Claims claims, HttpRequest<?> request) {
        Instant now = clock.instant();
        if (!(claims.get(Claims.EXPIRATION_TIME) instanceof Date exp) || !now.isBefore(exp.toInstant())) {
            return false;
        }
        Object nbf = claims.get(Claims.NOT_BEFORE);
        if (nbf == null) {
            return true;
        }
        return nbf instanceof Date notBefore && !now.isBefore(notBefore.toInstant());
    }

    @Override
    public int getOrder() {
        return -10;
    }
}
