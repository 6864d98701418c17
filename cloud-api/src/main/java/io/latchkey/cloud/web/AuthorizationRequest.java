package io.latchkey.cloud.web;

import io.latchkey.cloud.identity.OAuthClient;
import io.latchkey.cloud.identity.OAuthClients;
import io.latchkey.cloud.identity.Pkce;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * An authorization request (RFC 6749 §4.1.1 with PKCE, as OAuth 2.1 and RFC 9700 require it), read from the query
 * of {@code GET /oauth/authorize} or from the fields of the sign-in form that carries it on. Checked in the order
 * RFC 6749 §4.1.2.1 asks: an unknown client or a redirect URI that is not exactly registered is shown to the user
 * and never redirected to; everything else wrong goes back to the client's redirect URI as an error.
 */
record AuthorizationRequest(String clientId, String redirectUri, String responseType, String state,
                            String codeChallenge, String codeChallengeMethod) {
    static final String[] FIELDS = {"client_id", "redirect_uri", "response_type", "state", "code_challenge", "code_challenge_method"};

    static AuthorizationRequest of(Map<String, String> parameters) {
        return new AuthorizationRequest(parameters.get("client_id"), parameters.get("redirect_uri"),
                parameters.get("response_type"), parameters.get("state"), parameters.get("code_challenge"),
                parameters.get("code_challenge_method"));
    }

    /** What to do with the request. */
    sealed interface Checked permits Valid, Refused, RedirectedError {
    }

    record Valid(OAuthClient client, AuthorizationRequest request) implements Checked {
    }

    /** Not to be redirected anywhere: unknown client, or a redirect URI not registered for it. */
    record Refused(String reason) implements Checked {
    }

    /** An error for the client, at its (verified) redirect URI. */
    record RedirectedError(String location) implements Checked {
    }

    Checked check(String tenant, OAuthClients clients, String issuer) {
        OAuthClient client = clients.find(tenant, clientId).orElse(null);
        if (client == null) {
            return new Refused("This application is not registered here (unknown client_id).");
        }
        if (!client.allows(redirectUri)) {
            return new Refused("This application asked to be sent back to an address that is not registered for it.");
        }
        if (!"code".equals(responseType)) {
            return error(issuer, responseType == null ? "invalid_request" : "unsupported_response_type",
                    "response_type must be code");
        }
        if (state == null || state.isEmpty() || state.length() > 500) {
            return error(issuer, "invalid_request", "state is required (at most 500 characters)");
        }
        if (!Pkce.S256.equals(codeChallengeMethod)) {
            return error(issuer, "invalid_request", "code_challenge_method must be S256");
        }
        if (!Pkce.isChallenge(codeChallenge)) {
            return error(issuer, "invalid_request", "code_challenge is required: BASE64URL(SHA-256(code_verifier))");
        }
        return new Valid(client, this);
    }

    /** The redirect URI with the code (RFC 6749 §4.1.2) and the issuer (RFC 9207, against mix-up attacks). */
    String success(String code, String issuer) {
        return redirectUri + (redirectUri.contains("?") ? "&" : "?") + "code=" + encode(code) + "&state=" + encode(state)
                + "&iss=" + encode(issuer);
    }

    /** The origin of the redirect URI, for the sign-in page's {@code form-action}. */
    String redirectOrigin() {
        URI uri = URI.create(redirectUri);
        return uri.getScheme() + "://" + uri.getRawAuthority();
    }

    private RedirectedError error(String issuer, String error, String description) {
        String location = redirectUri + (redirectUri.contains("?") ? "&" : "?") + "error=" + encode(error)
                + "&error_description=" + encode(description)
                + (state == null || state.isEmpty() ? "" : "&state=" + encode(state)) + "&iss=" + encode(issuer);
        return new RedirectedError(location);
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
