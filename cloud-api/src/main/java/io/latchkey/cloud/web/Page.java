package io.latchkey.cloud.web;

import io.latchkey.cloud.http.BrowserHeaders;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MutableHttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.Collection;

/**
 * A server-rendered page of the browser sign-in: plain HTML, no script at all, its one style sheet inline and
 * allowed by hash in the page's Content-Security-Policy (nothing from a CDN, nothing from another origin). Every
 * value is HTML-escaped here; callers pass text, never markup, except for {@link #form} bodies built with
 * {@link #field} and {@link #hidden}.
 */
final class Page {
    private static final String CSS = """
            body{font:16px/1.5 system-ui,sans-serif;margin:0;background:#f4f5f7;color:#1b1f24}
            main{max-width:26rem;margin:2rem auto;padding:1.5rem;background:#fff;border-radius:8px;box-shadow:0 1px 3px #0003}
            h1{font-size:1.4rem;margin-top:0}label{display:block;font-weight:600;margin-top:1rem}
            input{box-sizing:border-box;width:100%;padding:.6rem;margin-top:.25rem;font:inherit;border:1px solid #5f6b7a;border-radius:4px}
            input:focus,button:focus,a:focus{outline:3px solid #1d5fd1;outline-offset:2px}
            button{margin-top:1.25rem;width:100%;padding:.7rem;font:inherit;font-weight:600;color:#fff;background:#1d4fb0;border:0;border-radius:4px;cursor:pointer}
            .error{color:#a1140f;background:#fdecea;padding:.6rem;border-radius:4px}.note{color:#3d4650}
            a{color:#1d4fb0}""";
    private static final String STYLE_HASH = "'sha256-" + sha256(CSS) + "'";

    private Page() {
    }

    /** The page, with the policy allowing forms to post only here and, for a client elsewhere, to redirect there. */
    static MutableHttpResponse<String> html(HttpStatus status, String title, String body, Collection<String> formTargets) {
        String formAction = "'self'" + String.join("", formTargets.stream().map(t -> " " + t).toList());
        String policy = "default-src 'none'; style-src " + STYLE_HASH + "; img-src 'self' data:; form-action " + formAction
                + "; frame-ancestors 'none'; base-uri 'none'";
        String page = "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
                + "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
                + "<meta name=\"referrer\" content=\"same-origin\">"
                + "<link rel=\"icon\" href=\"data:,\">"
                + "<title>" + escape(title) + " – Latchkey</title><style>" + CSS + "</style></head>"
                + "<body><main><h1>" + escape(title) + "</h1>\n" + body + "\n</main></body></html>\n";
        return HttpResponse.<String>status(status).body(page)
                .contentType("text/html; charset=utf-8")
                .header(BrowserHeaders.CSP, policy)
                .header("Cache-Control", "no-store");
    }

    static MutableHttpResponse<String> html(HttpStatus status, String title, String body) {
        return html(status, title, body, java.util.List.of());
    }

    static String paragraph(String text) {
        return "<p class=\"note\">" + escape(text) + "</p>";
    }

    /** An error announced to screen readers as soon as the page shows it. */
    static String error(String text) {
        return "<p class=\"error\" role=\"alert\" id=\"error\">" + escape(text) + "</p>";
    }

    static String link(String href, String text) {
        return "<p><a href=\"" + escape(href) + "\">" + escape(text) + "</a></p>";
    }

    static String form(String action, String csrf, String fields, String button) {
        return "<form method=\"post\" action=\"" + escape(action) + "\">" + hidden("csrf", csrf) + fields
                + "<button type=\"submit\">" + escape(button) + "</button></form>";
    }

    static String hidden(String name, String value) {
        return "<input type=\"hidden\" name=\"" + escape(name) + "\" value=\"" + escape(value == null ? "" : value) + "\">";
    }

    /** A labelled input; {@code autocomplete} helps password managers (e.g. {@code username}, {@code current-password}). */
    static String field(String name, String label, String type, String autocomplete, String value, boolean autofocus) {
        return "<label for=\"" + name + "\">" + escape(label) + "</label><input id=\"" + name + "\" name=\"" + name
                + "\" type=\"" + type + "\" autocomplete=\"" + autocomplete + "\" required"
                + (value == null ? "" : " value=\"" + escape(value) + "\"") + (autofocus ? " autofocus" : "") + ">";
    }

    static String escape(String text) {
        StringBuilder out = new StringBuilder(text.length() + 16);
        for (char c : text.toCharArray()) {
            switch (c) {
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '&' -> out.append("&amp;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }

    private static String sha256(String text) {
        try {
            return Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JVM", e);
        }
    }
}
