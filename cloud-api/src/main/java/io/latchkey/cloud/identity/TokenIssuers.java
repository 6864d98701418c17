package io.latchkey.cloud.identity;

import io.latchkey.cloud.http.PublicUrl;
import io.latchkey.cloud.secrets.SecretStore;
import io.latchkey.protocol.Topic;
import jakarta.inject.Singleton;
import java.util.Optional;

/**
 * Who issues access tokens and which issuer a request path trusts: a tenant ({@code {base}/t/{tenant}}, its keys in
 * the tenant's secret store) or the platform ({@code {base}/platform}, scope {@link SecretStore#PLATFORM}).
 */
@Singleton
public class TokenIssuers {
    private final PublicUrl publicUrl;

    public TokenIssuers(PublicUrl publicUrl) {
        this.publicUrl = publicUrl;
    }

    /** The issuer of a tenant's tokens, or of the platform's when {@code tenant} is null. */
    public String issuerOf(String tenant) {
        return tenant == null ? publicUrl.platformIssuer() : publicUrl.tenantIssuer(tenant);
    }

    /** The secret-store scope whose keys sign the tokens of {@code issuer}; empty for an issuer that is not ours. */
    public Optional<String> scopeOf(String issuer) {
        if (issuer == null) {
            return Optional.empty();
        }
        if (issuer.equals(publicUrl.platformIssuer())) {
            return Optional.of(SecretStore.PLATFORM);
        }
        String prefix = publicUrl.tenantIssuer("");
        if (issuer.startsWith(prefix)) {
            String tenant = issuer.substring(prefix.length());
            if (Topic.isValidTenantId(tenant) && issuer.equals(publicUrl.tenantIssuer(tenant))) {
                return Optional.of(tenant);
            }
        }
        return Optional.empty();
    }

    /** Whose tokens a path accepts. {@code tenant} is null for the platform. */
    public record PathScope(String tenant) {
        /** {@code /t/{tenant}/...} the tenant's, {@code /platform/...} the platform's; other paths take no token. */
        public static Optional<PathScope> of(String path) {
            if (path.startsWith("/platform/")) {
                return Optional.of(new PathScope(null));
            }
            if (path.startsWith("/t/")) {
                int end = path.indexOf('/', 3);
                String tenant = end < 0 ? path.substring(3) : path.substring(3, end);
                return Topic.isValidTenantId(tenant) ? Optional.of(new PathScope(tenant)) : Optional.empty();
            }
            return Optional.empty();
        }
    }
}
