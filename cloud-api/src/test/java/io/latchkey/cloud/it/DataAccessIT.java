package io.latchkey.cloud.it;

import static io.latchkey.cloud.it.CloudApp.expect;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.MediaType;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/** With the file store, read-only access is a signed, expiring export link served by the backend. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DataAccessIT {
    @TempDir
    static Path dataDir;
    CloudApp app;
    String tenantAdmin;
    String operator;

    @BeforeAll
    void start() {
        app = CloudApp.start(dataDir, Map.of());
        tenantAdmin = app.tenantWithAdmin("acme");
        operator = app.user("acme", tenantAdmin, "olga@acme.test", "operator");
        app.car("acme", operator, "car-1", "dev-001");
        app.tenantWithAdmin("globex");
    }

    @AfterEach
    void resetClock() {
        app.clock().reset();
    }

    @AfterAll
    void stop() {
        if (app != null) {
            app.close();
        }
    }

    private String exportPath(int days) {
        JsonNode grant = expect(201, app.http.postJson("/t/acme/data-access", tenantAdmin, Map.of("days", days))).json();
        assertThat(grant.path("kind").asText()).isEqualTo("export");
        assertThat(grant.path("permissions").toString()).isEqualTo("[\"read\",\"list\"]");
        assertThat(Instant.parse(grant.path("expiresAt").asText()))
                .isBetween(Instant.now().plus(Duration.ofDays(days)).minusSeconds(60), Instant.now().plus(Duration.ofDays(days)).plusSeconds(60));
        return URI.create(grant.path("url").asText()).getPath();
    }

    @Test
    void anExportLink_readsTheTenantsDocumentsAndStreams() {
        String export = exportPath(3);

        JsonNode index = expect(200, app.http.get(export, null)).json();
        assertThat(index.path("collections").toString()).contains("\"cars\"");
        assertThat(index.path("streams").toString()).contains("\"audit\"");
        assertThat(expect(200, app.http.get(export + "docs/cars", null)).json().toString()).isEqualTo("[\"car-1\"]");
        JsonNode car = expect(200, app.http.get(export + "docs/cars/car-1", null)).json();
        assertThat(car.path("plate").asText()).isNotEmpty();
        String audit = expect(200, app.http.get(export + "streams/audit", null)).body();
        assertThat(audit).contains("\"action\":\"car.create\"");
        expect(404, app.http.get(export + "docs/cars/car-2", null));
    }

    @Test
    void anExportLink_cannotWriteAnything() {
        String export = exportPath(1);
        String before = expect(200, app.http.get(export + "docs/cars/car-1", null)).body();
        for (String path : List.of(export, export + "docs/cars", export + "docs/cars/car-1", export + "docs/cars/car-2",
                export + "streams/audit")) {
            String json = "{\"id\":\"car-2\",\"name\":\"x\",\"plate\":\"x\",\"deviceId\":\"dev-x\"}";
            for (var request : List.of(HttpRequest.POST(path, json), HttpRequest.PUT(path, json),
                    HttpRequest.PATCH(path, json), HttpRequest.DELETE(path, json))) {
                int status = app.http.send(request.contentType(MediaType.APPLICATION_JSON_TYPE)).status();
                assertThat(status).as(request.getMethod() + " " + path).isBetween(400, 499);
            }
        }
        assertThat(expect(200, app.http.get(export + "docs/cars/car-1", null)).body()).isEqualTo(before);
        assertThat(expect(200, app.http.get(export + "docs/cars", null)).json().toString()).isEqualTo("[\"car-1\"]");
    }

    @Test
    void anExportLink_stopsWorkingWhenItExpires() {
        String export = exportPath(7);
        app.clock().advance(Duration.ofDays(7).minusMinutes(1));
        expect(200, app.http.get(export, null));
        app.clock().advance(Duration.ofMinutes(1));
        Http.Reply expired = expect(401, app.http.get(export + "docs/cars/car-1", null));
        assertThat(expired.body()).doesNotContain("plate");
    }

    @Test
    void aTamperedToken_orAnotherTenantsPath_isRefused() {
        String export = exportPath(1);
        String token = export.split("/")[4];
        String tampered = token.substring(0, token.length() - 2) + (token.endsWith("AA") ? "BB" : "AA");
        expect(401, app.http.get(export.replace(token, tampered), null));
        expect(401, app.http.get(export.replace("/t/acme/", "/t/globex/"), null));
    }

    @Test
    void onlyATenantAdmin_mayAsk_andForAtMostSevenDays() {
        expect(400, app.http.postJson("/t/acme/data-access", tenantAdmin, Map.of("days", 8)));
        expect(400, app.http.postJson("/t/acme/data-access", tenantAdmin, Map.of("days", 0)));
        expect(400, app.http.postJson("/t/acme/data-access", tenantAdmin, Map.of()));
        expect(403, app.http.postJson("/t/acme/data-access", operator, Map.of("days", 1)));
        expect(401, app.http.postJson("/t/acme/data-access", null, Map.of("days", 1)));
    }
}
