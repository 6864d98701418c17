package io.latchkey.cloud.http;

import static io.latchkey.cloud.it.CloudApp.PASSWORD;
import static io.latchkey.cloud.it.CloudApp.expect;
import static org.assertj.core.api.Assertions.assertThat;

import io.latchkey.cloud.identity.SecurityCounters;
import io.latchkey.cloud.it.CloudApp;
import io.latchkey.cloud.it.DataDir;
import io.latchkey.cloud.it.Http;
import io.micronaut.http.HttpMethod;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.MediaType;
import io.micronaut.http.MutableHttpRequest;
import io.micronaut.management.endpoint.annotation.Endpoint;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.rules.SecurityRule;
import io.micronaut.web.router.Router;
import io.micronaut.web.router.UriRouteInfo;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every route as the running router knows it (not a hand-kept list): each declares who may call it, the
 * anonymous ones are exactly the intended ones, and every tenant route refuses a token of another
 * tenant, or of the platform, without changing anything.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RouteSecurityIT {
    /** Routes open to anonymous callers, on purpose: sign-in, discovery, registration, password reset (HEAD twins of the GETs aside). */
    static final Set<String> ANONYMOUS = Set.of(
            "POST /platform/oauth/token",
            "GET /platform/.well-known/jwks.json",
            "POST /t/{tenant}/oauth/token",
            "GET /t/{tenant}/.well-known/openid-configuration",
            "GET /t/{tenant}/.well-known/jwks.json",
            "GET /t/{tenant}/.well-known/latchkey-device",
            "POST /t/{tenant}/users",
            "POST /t/{tenant}/password-resets",
            "GET /t/{tenant}/password-resets/{token}",
            "POST /t/{tenant}/password-resets/{token}/answers",
            "POST /t/{tenant}/password-resets/{token}",
            // a device whose certificate expired while offline: the request is signed by its certificate's key (docs/device-identity.md)
            "POST /t/{tenant}/devices/{deviceId}/renewal",
            // the browser sign-in (authorization code flow, backend-for-frontend) and the reset pages: HTML forms
            // that protect themselves with a double-submit CSRF token and the Origin check
            "GET /t/{tenant}/oauth/authorize",
            "POST /t/{tenant}/oauth/authorize",
            "GET /t/{tenant}/session/sign-in",
            "GET /t/{tenant}/session/callback",
            "GET /t/{tenant}/reset-password",
            "POST /t/{tenant}/reset-password",
            "GET /t/{tenant}/reset-password/{token}",
            "POST /t/{tenant}/reset-password/{token}/answers",
            "POST /t/{tenant}/reset-password/{token}",
            // the borrower app's static files (no data; its calls go to the API with the session and are checked there)
            "GET /t/{tenant}/app",
            "GET /t/{tenant}/app/{file}",
            "GET /t/{tenant}/app/lib/{file}",
            "GET /t/{tenant}/app/config.json",
            // the operator console's static files, likewise
            "GET /t/{tenant}/console",
            "GET /t/{tenant}/console/{file}",
            "GET /t/{tenant}/console/lib/{file}",
            "GET /t/{tenant}/console/config.json",
            // a release bundle for a device: the HMAC ticket of its offer's URL is the credential (docs/ota.md §8)
            "GET /t/{tenant}/releases/{releaseId}/bundle",
            // signed, expiring, read-only export URLs: the token in the path is the credential
            "GET /t/{tenant}/exports/{token}",
            "GET /t/{tenant}/exports/{token}/docs/{collection}",
            "GET /t/{tenant}/exports/{token}/docs/{collection}/{id}",
            "GET /t/{tenant}/exports/{token}/streams/{stream}");
    private static final Pattern VARIABLE = Pattern.compile("\\{([A-Za-z]+)[^}]*}");

    @TempDir
    static Path dataDir;
    CloudApp app;
    String bobId;
    String bookingId;
    String foreignAdmin;
    String foreignBorrower;

    @BeforeAll
    void start() {
        app = CloudApp.start(dataDir, Map.of());
        String admin = app.tenantWithAdmin("acme");
        String operator = app.user("acme", admin, "olga@acme.test", "operator");
        String bob = app.user("acme", admin, "bob@acme.test", "borrower");
        bobId = expect(200, app.http.get("/t/acme/users/me", bob)).text("id");
        app.car("acme", operator, "car-1", "dev-001");
        Instant now = Instant.now();
        bookingId = expect(201, app.http.postJson("/t/acme/bookings", bob, Map.of("carId", "car-1",
                "start", now.minusSeconds(60).toString(), "end", now.plus(Duration.ofHours(1)).toString()))).text("id");
        foreignAdmin = app.tenantWithAdmin("beta");
        foreignBorrower = app.user("beta", foreignAdmin, "bob@beta.test", "borrower");
    }

    @AfterAll
    void stop() {
        if (app != null) {
            app.close();
        }
    }

    @Test
    void everyRoute_declaresWhoMayCallIt_withSecured() {
        List<String> undeclared = new ArrayList<>();
        for (UriRouteInfo<?, ?> route : routes()) {
            if (route.getDeclaringType().isAnnotationPresent(Endpoint.class)) {
                continue; // management endpoints (health) are secured by their own 'sensitive' setting
            }
            String[] roles = route.getAnnotationMetadata().stringValues(Secured.class);
            if (!route.getAnnotationMetadata().hasAnnotation(Secured.class) || roles.length == 0) {
                undeclared.add(name(route) + " (" + route.getDeclaringType().getSimpleName() + ")");
            }
        }
        assertThat(undeclared).as("routes without @Secured").isEmpty();
        assertThat(routes()).extracting(RouteSecurityIT::name).contains("POST /t/{tenant}/users/{userId}/lock");
    }

    @Test
    void onlyTheIntendedRoutes_areOpenToAnonymousCallers() {
        Set<String> anonymous = new TreeSet<>();
        for (UriRouteInfo<?, ?> route : routes()) {
            for (String value : route.getAnnotationMetadata().stringValues(Secured.class)) {
                if (SecurityRule.IS_ANONYMOUS.equals(value) && route.getHttpMethod() != HttpMethod.HEAD) {
                    anonymous.add(name(route));
                }
            }
        }
        assertThat(anonymous).containsExactlyInAnyOrderElementsOf(ANONYMOUS);
    }

    @Test
    void everyTenantRoute_refusesATokenOfAnotherTenant_orOfThePlatform_andChangesNothing() {
        List<UriRouteInfo<?, ?>> tenantRoutes = routes().stream()
                .filter(r -> r.getUriMatchTemplate().toString().startsWith("/t/{tenant}")).toList();
        assertThat(tenantRoutes).hasSizeGreaterThan(20);
        SecurityCounters counters = app.context().getBean(SecurityCounters.class);
        long crossTenantBefore = counters.crossTenantRefusals();
        String platformToken = app.adminToken();
        Map<String, Integer> before = DataDir.snapshot(dataDir.resolve("tenants"));
        List<String> accepted = new ArrayList<>();
        int calls = 0;
        for (UriRouteInfo<?, ?> route : tenantRoutes) {
            for (String token : List.of(foreignAdmin, foreignBorrower, platformToken)) {
                Http.Reply reply = app.http.send(request(route, token));
                calls++;
                if (reply.status() != 401 && reply.status() != 403) {
                    accepted.add(name(route) + " -> " + reply.status() + " " + reply.body());
                }
            }
        }
        assertThat(accepted).as("tenant routes that did not refuse a foreign token").isEmpty();
        assertThat(DataDir.snapshot(dataDir.resolve("tenants"))).as("tenant data after the attacks").isEqualTo(before);
        assertThat(counters.crossTenantRefusals() - crossTenantBefore).isEqualTo(calls);
    }

    /** A request that would change acme's data if it were let through, with the route's own content type. */
    private MutableHttpRequest<?> request(UriRouteInfo<?, ?> route, String token) {
        String path = fill(route.getUriMatchTemplate().toString());
        HttpMethod method = route.getHttpMethod();
        MutableHttpRequest<?> request = HttpRequest.create(method, path).bearerAuth(token);
        if (method == HttpMethod.POST || method == HttpMethod.PUT || method == HttpMethod.PATCH) {
            boolean form = route.getConsumes().contains(MediaType.APPLICATION_FORM_URLENCODED_TYPE);
            if (form) {
                request.contentType(MediaType.APPLICATION_FORM_URLENCODED_TYPE)
                        .body("grant_type=password&username=bob%40acme.test&password=" + PASSWORD.replace(" ", "+"));
            } else {
                request.contentType(MediaType.APPLICATION_JSON_TYPE).body(jsonBody(path));
            }
        }
        return request;
    }

    private String fill(String template) {
        String withoutQuery = template.replaceAll("\\{\\?[^}]*}", "");
        Matcher m = VARIABLE.matcher(withoutQuery);
        StringBuilder path = new StringBuilder();
        while (m.find()) {
            String value = switch (m.group(1)) {
                case "tenant" -> "acme";
                case "carId" -> "car-1";
                case "deviceId" -> "dev-001";
                case "userId" -> bobId;
                case "id" -> bookingId;
                case "token" -> "A".repeat(43);
                default -> "x1";
            };
            m.appendReplacement(path, value);
        }
        m.appendTail(path);
        return path.toString();
    }

    private String jsonBody(String path) {
        if (path.endsWith("/users")) {
            return "{\"email\":\"mallory@acme.test\",\"name\":\"Mallory\",\"password\":\"" + PASSWORD + "\",\"roles\":[\"tenant-admin\"]}";
        }
        if (path.endsWith("/cars/batch")) {
            return "{\"cars\":[{\"id\":\"car-x\",\"name\":\"X\",\"plate\":\"X\",\"deviceId\":\"dev-x\"}]}";
        }
        if (path.endsWith("/cars")) {
            return "{\"id\":\"car-x\",\"name\":\"X\",\"plate\":\"X\",\"deviceId\":\"dev-x\"}";
        }
        if (path.endsWith("/bookings")) {
            Instant now = Instant.now();
            return "{\"carId\":\"car-1\",\"start\":\"" + now.plus(Duration.ofDays(3)) + "\",\"end\":\""
                    + now.plus(Duration.ofDays(3)).plus(Duration.ofHours(1)) + "\"}";
        }
        if (path.endsWith("/extend")) {
            return "{\"end\":\"" + Instant.now().plus(Duration.ofHours(5)) + "\"}";
        }
        if (path.endsWith("/commands")) {
            return "{\"type\":\"UNLOCK\"}";
        }
        if (path.endsWith("/password-resets")) {
            return "{\"email\":\"bob@acme.test\"}";
        }
        if (path.endsWith("/owner")) {
            return "{\"userId\":\"" + bobId + "\"}";
        }
        if (path.endsWith("/keys/rotate")) {
            return "{\"key\":\"token\"}";
        }
        if (path.endsWith("/users/me")) {
            return "{\"name\":\"Mallory\",\"phone\":\"+1 555 0199\"}";
        }
        return "{}";
    }

    private List<UriRouteInfo<?, ?>> routes() {
        List<UriRouteInfo<?, ?>> routes = new ArrayList<>();
        app.context().getBean(Router.class).uriRoutes().forEach(routes::add);
        return routes;
    }

    private static String name(UriRouteInfo<?, ?> route) {
        return route.getHttpMethodName() + " " + route.getUriMatchTemplate().toString().replaceAll("\\{\\?[^}]*}", "");
    }
}
