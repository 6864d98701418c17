package io.latchkey.cloud.identity;

import io.micronaut.context.annotation.EachProperty;
import io.micronaut.context.annotation.Parameter;
import java.util.List;

/**
 * A further public client of every tenant's issuer, {@code latchkey.oauth.clients.{id}.redirect-uris}: e.g. a
 * native app or a single-page app on another origin that redeems its codes at the token endpoint itself.
 * Checked at start-up by {@link OAuthClients}.
 */
@EachProperty("latchkey.oauth.clients")
public class OAuthClientConfig {
    private final String id;
    private List<String> redirectUris = List.of();

    public OAuthClientConfig(@Parameter String id) {
        this.id = id;
    }

    public String getId() {
        return id;
    }

    public List<String> getRedirectUris() {
        return redirectUris;
    }

    public void setRedirectUris(List<String> redirectUris) {
        this.redirectUris = redirectUris == null ? List.of() : List.copyOf(redirectUris);
    }
}
