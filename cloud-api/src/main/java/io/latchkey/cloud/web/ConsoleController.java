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
 * The operator console's static files at {@code /t/{tenant}/console/}: one HTML shell, its ES modules (the shell and
 * one module per feature: fleet, car (with bookings), admin) and style sheets, read from the classpath
 * ({@code cloud-api/src/main/resources/console/}) by {@link WebFiles}. Only the files named in {@link #FILES} exist.
 * They hold no data and no secret, so anyone may fetch them; every call the console makes goes to the API with the
 * session cookie and is authorised there as any API call is (operator and tenant-admin routes). Not JSON: hidden
 * from the OpenAPI document; see docs/console.md.
 */
@Controller("/t/{tenant}/console")
@Secured(SecurityRule.IS_ANONYMOUS)
@ExecuteOn(TaskExecutors.BLOCKING)
@Hidden
public class ConsoleController {
    static final Map<String, String> FILES = Map.ofEntries(
            Map.entry("index.html", "text/html; charset=utf-8"),
            Map.entry("console.js", "text/javascript; charset=utf-8"),
            Map.entry("common.js", "text/javascript; charset=utf-8"),
            Map.entry("fleet.js", "text/javascript; charset=utf-8"),
            Map.entry("fleet-layer.js", "text/javascript; charset=utf-8"),
            Map.entry("fleet.css", "text/css; charset=utf-8"),
            Map.entry("car.js", "text/javascript; charset=utf-8"),
            Map.entry("bookings.js", "text/javascript; charset=utf-8"),
            Map.entry("rollouts.js", "text/javascript; charset=utf-8"),
            Map.entry("car.css", "text/css; charset=utf-8"),
            Map.entry("admin.js", "text/javascript; charset=utf-8"),
            Map.entry("admin.css", "text/css; charset=utf-8"),
            Map.entry("console.css", "text/css; charset=utf-8"),
            Map.entry("icon.svg", "image/svg+xml"));
    static final Set<String> LIB = Set.of("leaflet.js", "leaflet.css");

    private final TenantDirectory tenants;
    private final WebFiles files;

    public ConsoleController(TenantDirectory tenants, TilesConfig tiles) {
        this.tenants = tenants;
        this.files = new WebFiles("console", FILES, LIB, tiles);
    }

    /** What the console needs to know of the server's settings: the map tiles, if any ({@code {}} without). */
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
            return HttpResponse.seeOther(URI.create("/t/" + tenant + "/console/"));
        }
        return files.file("index.html");
    }

    @Get("/{file}")
    public MutableHttpResponse<byte[]> file(@PathVariable String tenant, @PathVariable String file) {
        tenants.require(tenant);
        return files.file(file);
    }

    /** The libraries (Leaflet for the maps), from their WebJars. */
    @Get("/lib/{file}")
    public MutableHttpResponse<byte[]> library(@PathVariable String tenant, @PathVariable String file) {
        tenants.require(tenant);
        return files.library(file);
    }
}
