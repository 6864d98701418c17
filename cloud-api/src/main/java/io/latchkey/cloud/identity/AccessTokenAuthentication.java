package io.latchkey.cloud.identity;

import com.nimbusds.jwt.JWT;
import io.micronaut.context.annotation.Replaces;
import io.micronaut.security.authentication.Authentication;
import io.micronaut.security.token.Claims;
import io.micronaut.security.token.jwt.generator.claims.JwtClaimsSetAdapter;
import io.micronaut.security.token.jwt.validator.DefaultJwtAuthenticationFactory;
import io.micronaut.security.token.jwt.validator.JwtAuthenticationFactory;
import jakarta.inject.Singleton;
import java.text.ParseException;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Turns a verified access token into the request's {@link Authentication}, in place of the library's default (which
 * would copy every claim into the attributes and trust every role): a tenant token keeps only the tenant roles
 * ({@link Roles#TENANT_ROLES}), the attributes are the tenant ({@link #TENANT_ATTRIBUTE}) and the token's expiry
 * ({@link #EXPIRES_ATTRIBUTE}), nothing else.
 */
@Singleton
@Replaces(DefaultJwtAuthenticationFactory.class)
public class AccessTokenAuthentication implements JwtAuthenticationFactory {
    /** The authentication attribute naming the caller's tenant (absent for the platform). */
    public static final String TENANT_ATTRIBUTE = "tenant";
    /** The token's expiry ({@link java.time.Instant}), for work that outlives the request (a live stream ends then). */
    public static final String EXPIRES_ATTRIBUTE = "expiresAt";
    /** The claim naming the tenant a token was issued for (absent in platform tokens). */
    static final String TENANT_CLAIM = "tenant";
    static final String ROLES_CLAIM = "roles";
    static final String SESSION_VERSION_CLAIM = "sv";

    @Override
    public Optional<Authentication> createAuthentication(JWT token) {
        try {
            return accessToken(new JwtClaimsSetAdapter(token.getJWTClaimsSet())).map(AccessTokenAuthentication::toAuthentication);
        } catch (ParseException e) {
            return Optional.empty();
        }
    }

    /** The claims as an {@link AccessToken}; empty when one the application relies on is missing or of a wrong type. */
    static Optional<AccessToken> accessToken(Claims claims) {
        if (!(claims.get(Claims.SUBJECT) instanceof String subject)
                || !(claims.get(ROLES_CLAIM) instanceof List<?> roleList)
                || !(claims.get(Claims.EXPIRATION_TIME) instanceof Date exp)) {
            return Optional.empty();
        }
        List<String> roles = new ArrayList<>(roleList.size());
        for (Object role : roleList) {
            if (!(role instanceof String name)) {
                return Optional.empty();
            }
            roles.add(name);
        }
        Object tenant = claims.get(TENANT_CLAIM);
        Object id = claims.get(Claims.TOKEN_ID);
        Object sv = claims.get(SESSION_VERSION_CLAIM);
        if (tenant != null && !(tenant instanceof String) || id != null && !(id instanceof String)
                || sv != null && !(sv instanceof Number)) {
            return Optional.empty();
        }
        Integer sessionVersion = null;
        if (sv instanceof Number number) {
            long value = number.longValue();
            if (value != number.doubleValue() || value < Integer.MIN_VALUE || value > Integer.MAX_VALUE) {
                return Optional.empty();
            }
            sessionVersion = (int) value;
        }
        return Optional.of(new AccessToken(subject, (String) tenant, List.copyOf(roles), (String) id, sessionVersion,
                exp.toInstant()));
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
        attributes.put(EXPIRES_ATTRIBUTE, token.expiresAt());
        return Authentication.build(token.subject(), roles, attributes);
    }
}
