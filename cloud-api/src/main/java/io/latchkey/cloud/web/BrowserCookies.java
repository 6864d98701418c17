package io.latchkey.cloud.web;

import io.micronaut.http.HttpRequest;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.cookie.Cookie;
import java.time.Duration;
import java.util.Optional;

/**
 * The cookies of the browser sign-in, all {@code __Host-} prefixed (so {@code Secure}, {@code Path=/}, no
 * {@code Domain}: no other host, not even a subdomain, can set or overwrite them) and {@code HttpOnly} (no script
 * reads them). Their values are random secrets the server looks up by SHA-256; none is a token.
 */
final class BrowserCookies {
    /** The browser session of a tenant's web apps. */
    static String session(String tenant) {
        return "__Host-lk-session-" + tenant;
    }

    /** A sign-in the backend-for-frontend started (state and PKCE verifier stay on the server). */
    static String signIn(String tenant) {
        return "__Host-lk-signin-" + tenant;
    }

    /** The double-submit token of the anonymous forms (sign-in, password reset). */
    static final String FORM_CSRF = "__Host-lk-csrf";

    private BrowserCookies() {
    }

    static Optional<String> read(HttpRequest<?> request, String name) {
        return request.getCookies().findCookie(name).map(Cookie::getValue).filter(v -> !v.isBlank() && v.length() <= 100);
    }

    /**
     * @param sameSite {@code Strict} or {@code Lax}
     * @param maxAge   null for a cookie that ends with the browser
     */
    static void set(MutableHttpResponse<?> response, String name, String value, String sameSite, Duration maxAge) {
        response.getHeaders().add("Set-Cookie", name + "=" + value + "; Path=/"
                + (maxAge == null ? "" : "; Max-Age=" + maxAge.toSeconds()) + "; HttpOnly; Secure; SameSite=" + sameSite);
    }

    static void clear(MutableHttpResponse<?> response, String name) {
        response.getHeaders().add("Set-Cookie", name + "=; Path=/; Max-Age=0; HttpOnly; Secure; SameSite=Strict");
    }
}
