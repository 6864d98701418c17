package io.latchkey.cloud.identity;

import io.latchkey.cloud.http.PublicUrl;
import io.micronaut.context.annotation.Context;
import io.micronaut.context.exceptions.ConfigurationException;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The clients the tenants' authorization endpoints serve. Built in: the backend's own web apps,
 * {@value #CONSOLE} (operator console) and {@value #APP} (borrower app), both redirected to the
 * backend-for-frontend's callback {@code {issuer}/session/callback} on the same origin. Further public clients
 * come from {@code latchkey.oauth.clients.{id}.redirect-uris}: absolute URIs without fragment, {@code https}, or
 * {@code http} on a loopback host (native apps, RFC 8252), checked at start-up.
 */
@Context
public class OAuthClients {
    public static final String CONSOLE = "latchkey-console";
    public static final String APP = "latchkey-app";
    public static final String CALLBACK_PATH = "/session/callback";
    private static final Pattern CLIENT_ID = Pattern.compile("[a-z0-9][a-z0-9-]{1,62}");

    private final PublicUrl publicUrl;
    private final Map<String, List<String>> configured = new LinkedHashMap<>();

    public OAuthClients(PublicUrl publicUrl, List<OAuthClientConfig> configs) {
        this.publicUrl = publicUrl;
        for (OAuthClientConfig config : configs) {
            String key = "latchkey.oauth.clients." + config.getId() + ".redirect-uris";
            if (!CLIENT_ID.matcher(config.getId()).matches() || isBuiltIn(config.getId())) {
                throw new ConfigurationException("latchkey.oauth.clients." + config.getId()
                        + ": a client id is [a-z0-9][a-z0-9-]{1,62} and not " + CONSOLE + " or " + APP);
            }
            if (config.getRedirectUris().isEmpty()) {
                throw new ConfigurationException(key + " must list at least one redirect URI");
            }
            config.getRedirectUris().forEach(uri -> check(key, uri));
            configured.put(config.getId(), config.getRedirectUris());
        }
    }

    /** The client as registered for the tenant, or empty for an unknown client id. */
    public Optional<OAuthClient> find(String tenant, String clientId) {
        if (isBuiltIn(clientId)) {
            return Optional.of(new OAuthClient(clientId, true, List.of(callback(tenant))));
        }
        return Optional.ofNullable(clientId).map(configured::get).map(uris -> new OAuthClient(clientId, false, uris));
    }

    /** The backend-for-frontend's redirect URI at the tenant's issuer. */
    public String callback(String tenant) {
        return publicUrl.tenantIssuer(tenant) + CALLBACK_PATH;
    }

    public static boolean isBuiltIn(String clientId) {
        return CONSOLE.equals(clientId) || APP.equals(clientId);
    }

    private static void check(String key, String uri) {
        try {
            URI parsed = new URI(uri);
            String scheme = parsed.getScheme();
            boolean loopback = "127.0.0.1".equals(parsed.getHost()) || "[::1]".equals(parsed.getHost())
                    || "localhost".equals(parsed.getHost());
            if (!parsed.isAbsolute() || parsed.getFragment() != null || parsed.getHost() == null
                    || !("https".equals(scheme) || "http".equals(scheme) && loopback)) {
                throw new ConfigurationException(key + ": '" + uri
                        + "' must be an absolute https URI (http only on a loopback host) without a fragment");
            }
        } catch (URISyntaxException e) {
            throw new ConfigurationException(key + ": '" + uri + "' is not a URI");
        }
    }
}
