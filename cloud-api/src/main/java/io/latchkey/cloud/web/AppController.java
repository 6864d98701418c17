package io.latchkey.cloud.web;

import io.latchkey.cloud.NotFoundException;
import io.latchkey.cloud.http.BrowserHeaders;
import io.latchkey.cloud.tenant.TenantDirectory;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.rules.SecurityRule;
import io.swagger.v3.oas.annotations.Hidden;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The borrower app's static files at {@code /t/{tenant}/app/}: one HTML shell, its ES module, style sheet, service
 * worker, manifest and icons, read from the classpath ({@code cloud-api/src/main/resources/app/}). Only the files
 * named in {@link #FILES} exist (anything else is 404, so no path can reach another resource). They hold no data
 * and no secret, so anyone may fetch them; every call the app makes goes to the API with the session cookie and is
 * authorised there. Served under the tenant's path so the service worker's scope and the session cookie's tenant
 * match. Not JSON: hidden from the OpenAPI document; see docs/app.md.
 */
@Controller("/t/{tenant}/app")
@Secured(SecurityRule.IS_ANONYMOUS)
@ExecuteOn(TaskExecutors.BLOCKING)
@Hidden
public class AppController {
    /**
     * The shell's policy: the {@link BrowserHeaders#DEFAULT_HTML_POLICY} (scripts, styles, calls only to this origin,
     * never inline) plus this origin's manifest and service worker; with {@link TilesConfig} tiles, their origin is
     * added to {@code img-src}.
     */
    static final String POLICY = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
            + "connect-src 'self'; manifest-src 'self'; worker-src 'self'; form-action 'self'; frame-ancestors 'none'; "
            + "base-uri 'none'";
    static final Map<String, String> FILES = Map.of(
            "index.html", "text/html; charset=utf-8",
            "app.js", "text/javascript; charset=utf-8",
            "app.css", "text/css; charset=utf-8",
            "sw.js", "text/javascript; charset=utf-8",
            "manifest.webmanifest", "application/manifest+json",
            "icon.svg", "image/svg+xml",
            "icon-192.png", "image/png",
            "icon-512.png", "image/png");

    /** Leaflet's files, from its WebJar (org.webjars.npm:leaflet; the version is the pom's leaflet.version). */
    static final String LEAFLET = "/META-INF/resources/webjars/leaflet/1.9.4/dist/";
    static final Map<String, String> LIB = Map.of(
            "leaflet.js", "text/javascript; charset=utf-8",
            "leaflet.css", "text/css; charset=utf-8");

    private final TenantDirectory tenants;
    private final String policy;
    private final byte[] config;
    private final Map<String, byte[]> cache = new ConcurrentHashMap<>();

    public AppController(TenantDirectory tenants, TilesConfig tiles) {
        this.tenants = tenants;
        this.policy = tiles.origin() == null ? POLICY
                : POLICY.replace("img-src 'self' data:;", "img-src 'self' data: " + tiles.origin() + ";");
        this.config = (tiles.url() == null ? "{}" : "{\"tiles\":{\"url\":\"" + json(tiles.url()) + "\",\"attribution\":\""
                + json(tiles.attribution()) + "\"}}").getBytes(java.nio.charset.StandardCharsets.UTF_8);
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

    /** What the app needs to know of the server's settings: the map tiles, if any ({@code {}} without). */
    @Get("/config.json")
    public MutableHttpResponse<byte[]> config(@PathVariable String tenant) {
        tenants.require(tenant);
        return HttpResponse.ok(config).contentType("application/json").header("Cache-Control", "no-cache");
    }

    /** The shell; without the trailing slash a 303 to it, as the shell's relative URLs need it. */
    @Get
    public MutableHttpResponse<?> shell(@PathVariable String tenant, HttpRequest<?> request) {
        tenants.require(tenant);
        if (!request.getPath().endsWith("/")) {
            return HttpResponse.seeOther(URI.create("/t/" + tenant + "/app/"));
        }
        return file(tenant, "index.html");
    }

    @Get("/{file}")
    public MutableHttpResponse<byte[]> file(@PathVariable String tenant, @PathVariable String file) {
        tenants.require(tenant);
        String type = FILES.get(file);
        if (type == null) {
            throw new NotFoundException("no such file of the app: " + file);
        }
        MutableHttpResponse<byte[]> response = HttpResponse.ok(cache.computeIfAbsent(file, AppController::read))
                .contentType(type)
                // revalidated on every load: a new version reaches the browser at once; offline, the worker's copy
                .header("Cache-Control", "no-cache");
        if (file.equals("index.html")) {
            response.header(BrowserHeaders.CSP, policy);
        }
        if (file.equals("sw.js")) {
            // the worker controls the app's pages only, never the API's URLs
            response.header("Service-Worker-Allowed", "/t/" + tenant + "/app/");
        }
        return response;
    }

    /** Leaflet (the map of available cars), from its WebJar. */
    @Get("/lib/{file}")
    public MutableHttpResponse<byte[]> library(@PathVariable String tenant, @PathVariable String file) {
        tenants.require(tenant);
        String type = LIB.get(file);
        if (type == null) {
            throw new NotFoundException("no such file of the app: lib/" + file);
        }
        return HttpResponse.ok(cache.computeIfAbsent("lib/" + file, k -> read(LEAFLET + file)))
                .contentType(type)
                .header("Cache-Control", "no-cache");
    }

    private static byte[] read(String file) {
        try (InputStream in = AppController.class.getResourceAsStream(file.startsWith("/") ? file : "/app/" + file)) {
            if (in == null) {
                throw new IllegalStateException("the app's file " + file + " is missing from the build");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
