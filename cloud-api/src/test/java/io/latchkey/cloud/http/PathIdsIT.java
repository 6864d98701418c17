package io.latchkey.cloud.http;

import static io.latchkey.cloud.it.CloudApp.PASSWORD;
import static org.assertj.core.api.Assertions.assertThat;

import io.latchkey.cloud.it.CloudApp;
import io.latchkey.cloud.it.Http;
import io.latchkey.cloud.platform.CrashReports;
import io.latchkey.cloud.store.Stores;
import io.micronaut.http.HttpMethod;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.MediaType;
import io.micronaut.http.MutableHttpRequest;
import io.micronaut.web.router.Router;
import io.micronaut.web.router.UriRouteInfo;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every route with an id in its path, as the router knows it, called by a caller allowed to use it with ids
 * that cannot exist (path traversal, an encoded slash, NUL, far too long): a 4xx every time, never a 5xx,
 * and no crash report.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PathIdsIT {
    static final List<String> IMPOSSIBLE_IDS = List.of("..", "%2e%2e", "%2E%2E", "a..b", "a%2Fb", "a%2fb", "%00",
            "a%00b", "a%0Ab", "%E2%80%AE", "x".repeat(65), "x".repeat(5000), "a%5Cb", "%2e");
    private static final Pattern VARIABLE = Pattern.compile("\\{([A-Za-z]+)[^}]*}");

    @TempDir
    static Path dataDir;
    CloudApp app;
    String bobId;
    String tenantAdmin;

    @BeforeAll
    void start() {
        app = CloudApp.start(dataDir, Map.of());
        tenantAdmin = app.tenantWithAdmin("acme");
        app.user("acme", tenantAdmin, "bob@acme.test", "borrower");
        bobId = CloudApp.expect(200, app.http.get("/t/acme/users/me", app.token("acme", "bob@acme.test"))).text("id");
        app.car("acme", tenantAdmin, "car-1", "dev-001");
    }

    @AfterAll
    void stop() {
        if (app != null) {
            app.close();
        }
    }

    @Test
    void idsThatCannotExist_areRefusedWithA4xx_onEveryRouteWithAPathId_withoutACrashReport() {
        String platformAdmin = app.adminToken();
        int crashesBefore = crashReports();
        List<String> failures = new ArrayList<>();
        int calls = 0;
        for (UriRouteInfo<?, ?> route : routes()) {
            String template = route.getUriMatchTemplate().toString().replaceAll("\\{\\?[^}]*}", "");
            List<String> variables = variables(template);
            if (variables.isEmpty() || route.getHttpMethod() == HttpMethod.HEAD) {
                continue;
            }
            String token = template.startsWith("/platform") ? platformAdmin : tenantAdmin;
            for (String variable : variables) {
                for (String bad : IMPOSSIBLE_IDS) {
                    Http.Reply reply = app.http.send(request(route, fill(template, variable, bad), token));
                    calls++;
                    if (reply.status() >= 500 || reply.status() < 400) {
                        failures.add(route.getHttpMethodName() + " " + template + " with " + variable + "="
                                + abbreviate(bad) + " -> " + reply.status() + " " + abbreviate(reply.body()));
                    }
                }
            }
        }
        assertThat(calls).isGreaterThan(200);
        assertThat(failures).as("routes that did not refuse an impossible id with a 4xx").isEmpty();
        assertThat(crashReports()).as("crash reports written").isEqualTo(crashesBefore);
    }

    @Test
    void userRoutes_answer404_forAUserIdWithDots() {
        for (String path : List.of("/t/acme/users/a..b", "/t/acme/users/..%2F..")) {
            assertThat(app.http.get(path, tenantAdmin).status()).as(path).isEqualTo(404);
        }
        assertThat(app.http.postJson("/t/acme/users/a..b/lock", tenantAdmin, Map.of()).status()).isEqualTo(404);
        assertThat(app.http.postJson("/t/acme/users/a..b/unlock", tenantAdmin, Map.of()).status()).isEqualTo(404);
        assertThat(app.http.delete("/t/acme/users/a..b", tenantAdmin).status()).isEqualTo(404);
        assertThat(app.http.send(HttpRequest.PUT("/t/acme/cars/car-1/owner", "{\"userId\":\"a..b\"}")
                .contentType(MediaType.APPLICATION_JSON_TYPE).bearerAuth(tenantAdmin)).status()).isEqualTo(404);
    }

    private MutableHttpRequest<?> request(UriRouteInfo<?, ?> route, String path, String token) {
        HttpMethod method = route.getHttpMethod();
        MutableHttpRequest<?> request = HttpRequest.create(method, path).bearerAuth(token);
        if (method == HttpMethod.POST || method == HttpMethod.PUT || method == HttpMethod.PATCH) {
            if (route.getConsumes().contains(MediaType.APPLICATION_FORM_URLENCODED_TYPE)) {
                request.contentType(MediaType.APPLICATION_FORM_URLENCODED_TYPE)
                        .body("grant_type=password&username=bob%40acme.test&password=" + PASSWORD.replace(" ", "+"));
            } else {
                request.contentType(MediaType.APPLICATION_JSON_TYPE).body(path.endsWith("/owner")
                        ? "{\"userId\":\"" + bobId + "\"}" : "{\"carId\":\"car-1\",\"reason\":\"test\",\"type\":\"LOCK\"}");
            }
        }
        return request;
    }

    private String fill(String template, String variable, String bad) {
        Matcher m = VARIABLE.matcher(template);
        StringBuilder path = new StringBuilder();
        while (m.find()) {
            String value = m.group(1).equals(variable) ? bad : switch (m.group(1)) {
                case "tenant" -> "acme";
                case "carId" -> "car-1";
                case "deviceId" -> "dev-001";
                case "userId" -> bobId;
                case "token" -> "A".repeat(43);
                default -> "x1";
            };
            m.appendReplacement(path, Matcher.quoteReplacement(value));
        }
        m.appendTail(path);
        return path.toString();
    }

    private static List<String> variables(String template) {
        List<String> names = new ArrayList<>();
        Matcher m = VARIABLE.matcher(template);
        while (m.find()) {
            names.add(m.group(1));
        }
        return names;
    }

    private int crashReports() {
        return app.context().getBean(Stores.class).platform().tail(CrashReports.STREAM, 100_000).size();
    }

    private List<UriRouteInfo<?, ?>> routes() {
        List<UriRouteInfo<?, ?>> routes = new ArrayList<>();
        app.context().getBean(Router.class).uriRoutes().forEach(routes::add);
        return routes;
    }

    private static String abbreviate(String s) {
        return s == null || s.length() <= 120 ? s : s.substring(0, 120) + "…";
    }
}
