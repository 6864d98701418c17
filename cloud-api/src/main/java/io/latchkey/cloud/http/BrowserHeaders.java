package io.latchkey.cloud.http;

import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.ResponseFilter;
import io.micronaut.http.annotation.ServerFilter;

/**
 * Headers that keep browsers from misusing any response: no MIME sniffing, no referrer to other sites (a page URL
 * can carry a reset token; {@code same-origin}, not {@code no-referrer}: under {@code no-referrer} Chromium sends
 * {@code Origin: null} on the pages' own form posts and the app's own calls, which the Origin checks must refuse),
 * never framed (clickjacking). HTML pages also get a strict Content-Security-Policy unless they set
 * their own, stricter one: no inline script, nothing from another origin, no framing.
 */
@ServerFilter(ServerFilter.MATCH_ALL_PATTERN)
public class BrowserHeaders {
    public static final String CSP = "Content-Security-Policy";
    /** For HTML without a policy of its own: scripts and styles only from this origin, never inline. */
    public static final String DEFAULT_HTML_POLICY = "default-src 'none'; script-src 'self'; style-src 'self'; "
            + "img-src 'self' data:; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

    @ResponseFilter
    public void headers(MutableHttpResponse<?> response) {
        response.header("X-Content-Type-Options", "nosniff");
        response.header("Referrer-Policy", "same-origin");
        response.header("X-Frame-Options", "DENY");
        boolean html = response.getContentType()
                .map(t -> "text".equals(t.getType()) && "html".equals(t.getSubtype())).orElse(false);
        if (html && !response.getHeaders().contains(CSP)) {
            response.header(CSP, DEFAULT_HTML_POLICY);
        }
    }
}
