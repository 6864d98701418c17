package io.latchkey.cloud.web;

import io.latchkey.cloud.NotFoundException;
import io.latchkey.cloud.http.BrowserHeaders;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MutableHttpResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The static files of one web app (the borrower app, the operator console), read once from the classpath and
 * served with the browser headers. Only the files named exist: anything else is 404, so no path reaches another
 * resource. The app's own files live in {@code resources/<directory>/}; those both apps share ({@link #SHARED}) in
 * {@code resources/web/}; the libraries come from their WebJars ({@link #LIBRARIES}).
 */
final class WebFiles {
    /**
     * The pages' policy: scripts, styles and calls only to this origin, never inline; this origin's manifest and
     * service worker; with {@link TilesConfig} tiles, their origin is added to {@code img-src}.
     */
    static final String POLICY = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
            + "connect-src 'self'; manifest-src 'self'; worker-src 'self'; form-action 'self'; frame-ancestors 'none'; "
            + "base-uri 'none'";

    /** The files both apps serve, from {@code resources/web/}. */
    static final Set<String> SHARED = Set.of("common.js");

    /** Leaflet's files, from its WebJar (org.webjars.npm:leaflet; the version is the pom's leaflet.version). */
    static final String LEAFLET = "/META-INF/resources/webjars/leaflet/1.9.4/dist/";

    /** The libraries the apps may load from {@code lib/}: name to its class-path resource. */
    static final Map<String, String> LIBRARIES = Map.of(
            "leaflet.js", LEAFLET + "leaflet.js",
            "leaflet.css", LEAFLET + "leaflet.css");

    private final String directory;
    private final Map<String, String> files;
    private final Set<String> libraries;
    private final String policy;
    private final byte[] config;
    private final Map<String, byte[]> cache = new ConcurrentHashMap<>();

    /**
     * @param directory the app's resource directory ({@code app}, {@code console})
     * @param files     the app's files, name to content type (shared ones included)
     * @param libraries the {@link #LIBRARIES} this app loads
     */
    WebFiles(String directory, Map<String, String> files, Set<String> libraries, TilesConfig tiles) {
        if (!LIBRARIES.keySet().containsAll(libraries)) {
            throw new IllegalArgumentException("unknown libraries: " + libraries);
        }
        this.directory = directory;
        this.files = Map.copyOf(files);
        this.libraries = Set.copyOf(libraries);
        this.policy = policy(tiles);
        this.config = (tiles.url() == null ? "{}" : "{\"tiles\":{\"url\":\"" + json(tiles.url()) + "\",\"attribution\":\""
                + json(tiles.attribution()) + "\"}}").getBytes(StandardCharsets.UTF_8);
    }

    static String policy(TilesConfig tiles) {
        return tiles.origin() == null ? POLICY
                : POLICY.replace("img-src 'self' data:;", "img-src 'self' data: " + tiles.origin() + ";");
    }

    Map<String, String> files() {
        return files;
    }

    /** What the app needs to know of the server's settings: the map tiles, if any ({@code {}} without). */
    MutableHttpResponse<byte[]> config() {
        return HttpResponse.ok(config).contentType("application/json").header("Cache-Control", "no-cache");
    }

    /** One of the app's files; an HTML page carries the policy. */
    MutableHttpResponse<byte[]> file(String name) {
        String type = files.get(name);
        if (type == null) {
            throw new NotFoundException("no such file: " + name);
        }
        String resource = SHARED.contains(name) ? "/web/" + name : "/" + directory + "/" + name;
        MutableHttpResponse<byte[]> response = HttpResponse.ok(cache.computeIfAbsent(resource, WebFiles::read))
                .contentType(type)
                // revalidated on every load: a new version reaches the browser at once
                .header("Cache-Control", "no-cache");
        if (name.endsWith(".html")) {
            response.header(BrowserHeaders.CSP, policy);
        }
        return response;
    }

    /** A library from its WebJar. */
    MutableHttpResponse<byte[]> library(String name) {
        if (!libraries.contains(name)) {
            throw new NotFoundException("no such file: lib/" + name);
        }
        String resource = LIBRARIES.get(name);
        return HttpResponse.ok(cache.computeIfAbsent(resource, WebFiles::read))
                .contentType(name.endsWith(".css") ? "text/css; charset=utf-8" : "text/javascript; charset=utf-8")
                .header("Cache-Control", "no-cache");
    }

    private static String json(String text) {
        StringBuilder out = new StringBuilder();
        for (char c : text.toCharArray()) {
            if (c == '"' || c == '\\') {
                out.append('\\').append(c);
            } else if (c < 0x20 || c == '<' || c == '>' || c == '&') {
                out.append(String.format("\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    private static byte[] read(String resource) {
        try (InputStream in = WebFiles.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("the web file " + resource + " is missing from the build");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
