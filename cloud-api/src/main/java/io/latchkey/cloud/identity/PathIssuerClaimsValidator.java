package io.latchkey.cloud.identity;

import io.micronaut.core.order.Ordered;
import io.micronaut.http.HttpRequest;
import io.micronaut.security.token.Claims;
import io.micronaut.security.token.jwt.validator.GenericJwtClaimsValidator;
import jakarta.inject.Singleton;
import java.util.Objects;
import java.util.Optional;

/**
 * A token is good only for the issuer the request path names: on {@code /t/{tenant}/...} it must be issued by that
 * tenant ({@code iss}) for that tenant ({@code tenant}), on {@code /platform/...} by the platform and for no tenant; on
 * any other path no token is accepted. {@link TenantSignatures} has already proved that the {@code iss} signed it.
 */
@Singleton
public class PathIssuerClaimsValidator implements GenericJwtClaimsValidator<HttpRequest<?>>, Ordered {
    private final TokenIssuers issuers;

    public PathIssuerClaimsValidator(TokenIssuers issuers) {
        this.issuers = issuers;
    }

    @Override
    public boolean validate(Claims claims, HttpRequest<?> request) {
        if (request == null) {
            return false;
        }
        Optional<TokenIssuers.PathScope> scope = TokenIssuers.PathScope.of(request.getPath());
        if (scope.isEmpty()) {
            return false;
        }
        String tenant = scope.get().tenant();
        return issuers.issuerOf(tenant).equals(claims.get(Claims.ISSUER))
                && Objects.equals(tenant, claims.get(AccessTokenAuthentication.TENANT_CLAIM));
    }

    @Override
    public int getOrder() {
        return -20;
    }
}
