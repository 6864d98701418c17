package io.latchkey.cloud.identity;

import java.util.List;

/**
 * A registered public client of a tenant's issuer (no client secret: PKCE protects its codes).
 *
 * @param id           the {@code client_id}
 * @param backend      true for the backend's own web apps, whose codes only the backend-for-frontend redeems (in
 *                     process), so that no token ever reaches the browser; the token endpoint refuses them
 * @param redirectUris exact redirect URIs; for the backend's apps they are on the tenant's issuer
 */
public record OAuthClient(String id, boolean backend, List<String> redirectUris) {
    public OAuthClient {
        redirectUris = List.copyOf(redirectUris);
    }

    /** Exact string comparison (RFC 9700 §4.1.3): no prefixes, no wildcards, no normalisation. */
    public boolean allows(String redirectUri) {
        return redirectUri != null && redirectUris.contains(redirectUri);
    }
}
