package io.latchkey.cloud.web;

import io.latchkey.cloud.identity.OpaqueTokens;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.MutableHttpResponse;
import jakarta.inject.Singleton;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Optional;

/**
 * CSRF protection of the anonymous forms (sign-in, password reset), which have no session to bind a token to: a
 * double-submit token. The page puts the value of the {@code __Host-lk-csrf} cookie (made on first view) into a
 * hidden field; a POST must carry both, equal, and come from this origin. Another site can make a browser post a
 * form here, but can neither read nor set that cookie ({@code __Host-}: not from a subdomain either).
 */
@Singleton
public class FormCsrf {
    private final SecureRandom random;
    private final SameOrigin sameOrigin;

    public FormCsrf(SecureRandom random, SameOrigin sameOrigin) {
        this.random = random;
        this.sameOrigin = sameOrigin;
    }

    /** The token for a page's form: the browser's, or a new one to set with {@link #remember}. */
    public String tokenFor(HttpRequest<?> request) {
        return BrowserCookies.read(request, BrowserCookies.FORM_CSRF).orElseGet(() -> OpaqueTokens.newToken(random));
    }

    /**
     * Sets the cookie, {@code SameSite=Lax}: a reset link opened from a mail program is a cross-site navigation, and
     * its page must find the token the form in another tab already uses. The token grants nothing by itself.
     */
    public <T> MutableHttpResponse<T> remember(MutableHttpResponse<T> response, String token) {
        BrowserCookies.set(response, BrowserCookies.FORM_CSRF, token, "Lax", null);
        return response;
    }

    public boolean admits(HttpRequest<?> request, String field) {
        Optional<String> cookie = BrowserCookies.read(request, BrowserCookies.FORM_CSRF);
        return sameOrigin.admits(request) && cookie.isPresent() && field != null
                && MessageDigest.isEqual(cookie.get().getBytes(StandardCharsets.UTF_8), field.getBytes(StandardCharsets.UTF_8));
    }
}
