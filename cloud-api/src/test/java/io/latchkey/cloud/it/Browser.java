package io.latchkey.cloud.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * A real HTTP client (the JDK's) that behaves like a browser where the sign-in depends on it: it keeps cookies
 * (set by {@code Set-Cookie}, removed by {@code Max-Age=0}, sent back on every request; {@code Secure} cookies too,
 * since a loopback origin is trustworthy to browsers), sends {@code Origin} on POSTs, and follows redirects on its own
 * host (303 → GET). It stops at a redirect to another host, as a test wants to read it. Every response it saw is kept,
 * with its headers, so tests can check no token ever appeared in a URL.
 */
public final class Browser {
    private static final Pattern HIDDEN = Pattern.compile("<input type=\"hidden\" name=\"([^\"]+)\" value=\"([^\"]*)\">");

    public record Page(int status, URI uri, HttpHeaders headers, String body) {
        public String header(String name) {
            return headers.firstValue(name).orElse("");
        }

        /** The hidden fields of the page's form (HTML entities of our pages decoded). */
        public Map<String, String> hiddenFields() {
            Map<String, String> fields = new LinkedHashMap<>();
            Matcher m = HIDDEN.matcher(body);
            while (m.find()) {
                fields.put(m.group(1), m.group(2).replace("&quot;", "\"").replace("&#39;", "'").replace("&lt;", "<")
                        .replace("&gt;", ">").replace("&amp;", "&"));
            }
            return fields;
        }
    }

    private final HttpClient client = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private final URI base;
    private final Map<String, String> cookies = new LinkedHashMap<>();
    /** Every Set-Cookie header received, raw, to check flags. */
    public final List<String> setCookies = new ArrayList<>();
    /** Every URL requested and every Location received. */
    public final List<String> urls = new ArrayList<>();
    private String origin;

    public Browser(URI base) {
        this.base = base;
        this.origin = base.getScheme() + "://" + base.getRawAuthority();
    }

    /** Pretends the next POSTs come from a page of another site ({@code null}: no Origin header at all). */
    public Browser origin(String origin) {
        this.origin = origin;
        return this;
    }

    public Map<String, String> cookies() {
        return cookies;
    }

    public String cookie(String name) {
        return cookies.get(name);
    }

    public Page get(String pathOrUrl) {
        return follow(send(request(pathOrUrl).GET().build()));
    }

    /** A GET without following its redirect. */
    public Page getOnly(String pathOrUrl) {
        return send(request(pathOrUrl).GET().build());
    }

    /** A form POST as a browser sends it, following the redirects after it. */
    public Page post(String pathOrUrl, Map<String, String> form) {
        return follow(postOnly(pathOrUrl, form));
    }

    /** A form POST without following its redirect. */
    public Page postOnly(String pathOrUrl, Map<String, String> form) {
        String body = form.entrySet().stream()
                .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
        HttpRequest.Builder request = request(pathOrUrl).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (origin != null) {
            request.header("Origin", origin);
        }
        return send(request.build());
    }

    /** A script's call of the web app: JSON, with the given extra headers (e.g. X-CSRF-Token). */
    public Page call(String method, String path, String json, Map<String, String> headers) {
        HttpRequest.Builder request = request(path).method(method, json == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(json));
        if (json != null) {
            request.header("Content-Type", "application/json");
        }
        if (origin != null && !"GET".equals(method)) {
            request.header("Origin", origin);
        }
        headers.forEach(request::header);
        return send(request.build());
    }

    /** Follows redirects on this host only. */
    public Page follow(Page page) {
        Page current = page;
        for (int i = 0; i < 10 && current.status() >= 300 && current.status() < 400; i++) {
            URI next = current.uri().resolve(current.header("Location"));
            if (!base.getRawAuthority().equals(next.getRawAuthority())) {
                return current;
            }
            current = send(request(next.toString()).GET().build());
        }
        return current;
    }

    private HttpRequest.Builder request(String pathOrUrl) {
        URI uri = pathOrUrl.startsWith("http") ? URI.create(pathOrUrl) : base.resolve(pathOrUrl);
        HttpRequest.Builder builder = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30));
        if (!cookies.isEmpty() && base.getRawAuthority().equals(uri.getRawAuthority())) {
            builder.header("Cookie", cookies.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
                    .collect(Collectors.joining("; ")));
        }
        return builder;
    }

    private Page send(HttpRequest request) {
        try {
            urls.add(request.uri().toString());
            HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
            response.headers().firstValue("Location").ifPresent(urls::add);
            for (String setCookie : response.headers().allValues("Set-Cookie")) {
                setCookies.add(setCookie);
                String[] nameValue = setCookie.split(";", 2)[0].split("=", 2);
                if (setCookie.contains("Max-Age=0")) {
                    cookies.remove(nameValue[0].strip());
                } else {
                    cookies.put(nameValue[0].strip(), nameValue.length > 1 ? nameValue[1].strip() : "");
                }
            }
            return new Page(response.statusCode(), request.uri(), response.headers(), response.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
