package io.latchkey.cloud.web;

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
import java.net.URI;
import java.util.Map;
import java.util.Set;

/**
 * The borrower app's static files at {@code /t/{tenant}/app/}: one HTML shell, its ES module, style sheet, service
 * worker, manifest and icons, read from the classpath ({@code cloud-api/src/main/resources/app/}) by {@link WebFiles}.
 * Only the files named in {@link #FILES} exist (anything else is 404, so no path can reach another resource). They hold no data
 * and no secret, so anyone may fetch them; every call the app makes goes to the API with the session cookie and is
 * authorised there. Served under the tenant's path so the service worker's scope and the session cookie's tenant
 * match. Not JSON: hidden from the OpenAPI document; see docs/app.md.
 */
@Controller("/t/{tenant}/app")
@Secured(SecurityRule.IS_ANONYMOUS)
@ExecuteOn(TaskExecutors.BLOCKING)
@Hidden
public class AppController {
    static final Map<String, String> FILES = Map.ofEntries(
            Map.entry("index.html", "text/html; charset=utf-8"),
            Map.entry("app.js", "text/javascript; charset=utf-8"),
            Map.entry("common.js", "text/javascript; charset=utf-8"),
            Map.entry("key.js", "text/javascript; charset=utf-8"),
            Map.entry("qrcodegen.js", "text/javascript; charset=utf-8"),
            Map.entry("app.css", "text/css; charset=utf-8"),
            Map.entry("sw.js", "text/javascript; charset=utf-8"),
            Map.entry("manifest.webmanifest", "application/manifest+json"),
            Map.entry("icon.svg", "image/svg+xml"),
            Map.entry("icon-192.png", "image/png"),
            Map.entry("icon-512.png", "image/png"));
    static final Set<String> LIB = Set.of("leaflet.js", "leaflet.css");

    private final TenantDirectory tenants;
    private final WebFiles files;

    public AppController(TenantDirectory tenants, TilesConfig tiles) {
        this.tenants = tenants;
        this.files = new WebFiles("app", FILES, LIB, tiles);
    }

    /** What the app needs to know of the server's settings: the map tiles, if any ({@code {}} without). */
    @Get("/config.json")
    public MutableHttpResponse<byte[]> config(@PathVariable String tenant) {
        tenants.require(tenant);
        return files.config();
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
        MutableHttpResponse<byte[]> response = files.file(file);
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
        return files.library(file);
    }
}
