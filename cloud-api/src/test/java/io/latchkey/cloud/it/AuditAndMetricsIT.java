package io.latchkey.cloud.it;

import static io.latchkey.cloud.it.CloudApp.expect;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.latchkey.cloud.metrics.SecurityMetrics;
import io.latchkey.protocol.LockState;
import io.latchkey.protocol.telemetry.TelemetryRecord;
import io.micronaut.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Business-critical actions end up in the tenant's own hash-chained audit trail, and the security and
 * performance counters are served in Prometheus text format at /prometheus.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AuditAndMetricsIT {
    @TempDir
    static Path dataDir;
    CloudApp app;
    TestDevice device;
    String tenantAdmin;
    String operator;
    String borrower;
    String otherBorrower;

    @BeforeAll
    void start() throws Exception {
        app = CloudApp.start(dataDir, Map.of("latchkey.commands.timeout", "5s"));
        tenantAdmin = app.tenantWithAdmin("acme");
        operator = app.user("acme", tenantAdmin, "olga@acme.test", "operator");
        borrower = app.user("acme", tenantAdmin, "bob@acme.test", "borrower");
        otherBorrower = app.user("acme", tenantAdmin, "eve@acme.test", "borrower");
        app.car("acme", operator, "car-1", "dev-001");
        JsonNode discovery = expect(200, app.http.get("/t/acme/.well-known/latchkey-device", null)).json();
        device = new TestDevice(app, "acme", "dev-001", TestDevice.keys(discovery),
                Clock.systemUTC());
        Instant now = Instant.now();
        expect(201, app.http.postJson("/t/acme/bookings", borrower, Map.of("carId", "car-1",
                "start", now.minusSeconds(60).toString(), "end", now.plus(Duration.ofHours(1)).toString())));
        expect(200, app.http.postJson("/t/acme/cars/car-1/commands", borrower, Map.of("type", "UNLOCK")));
        expect(403, app.http.postJson("/t/acme/cars/car-1/commands", otherBorrower, Map.of("type", "UNLOCK")));
    }

    @AfterAll
    void stop() throws Exception {
        if (device != null) {
            device.close();
        }
        if (app != null) {
            app.close();
        }
    }

    @Test
    void businessActions_areInTheTenantsAuditTrail_withActorAndOutcome() {
        // A command's audit record is written after the caller has its answer (off the unlock's path), so
        // the trail is read until it holds it, for a bounded time.
        JsonNode[] trail = new JsonNode[1];
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            trail[0] = expect(200, app.http.get("/t/acme/audit?limit=1000", tenantAdmin)).json();
            List<String> seen = new ArrayList<>();
            trail[0].forEach(r -> seen.add(r.path("action").asText() + " " + r.path("outcome").asText()));
            assertThat(seen).contains("tenant.create OK", "car.create OK", "booking.create OK", "car.unlock EXECUTED",
                    "car.command REFUSED");
        });
        JsonNode records = trail[0];
        JsonNode unlock = find(records, "car.unlock");
        assertThat(unlock.path("actor").asText()).isEqualTo(userId(borrower));
        assertThat(unlock.path("subject").asText()).startsWith("car/car-1 command/");
        assertThat(unlock.path("time").asText()).isNotEmpty();
        assertThat(find(records, "tenant.create").path("actor").asText()).isEqualTo("platform:admin");
        assertThat(dataDir.resolve("tenants/acme/streams/audit.jsonl")).exists();
    }

    @Test
    void theTrail_verifiesAsIntact_forATenantAdmin_only() {
        JsonNode verification = expect(200, app.http.get("/t/acme/audit/verify", tenantAdmin)).json();
        assertThat(verification.path("status").asText()).isEqualTo("OK");
        assertThat(verification.path("records").asLong()).isGreaterThanOrEqualTo(5);
        expect(403, app.http.get("/t/acme/audit/verify", operator));
        expect(401, app.http.get("/t/acme/audit/verify", null));
    }

    @Test
    void aTamperedTrail_isReportedAtItsFirstBrokenRecord() throws Exception {
        String admin = app.tenantWithAdmin("tamper");
        String ops = app.user("tamper", admin, "ops@tamper.test", "operator");
        app.car("tamper", ops, "car-9", "dev-009");
        Path file = dataDir.resolve("tenants/tamper/streams/audit.jsonl");
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        int carLine = indexOf(lines, "\"car.create\"");
        lines.set(carLine, lines.get(carLine).replace("car/car-9", "car/car-8"));
        Files.write(file, lines, StandardCharsets.UTF_8);

        JsonNode verification = expect(200, app.http.get("/t/tamper/audit/verify", admin)).json();

        assertThat(verification.path("status").asText()).isEqualTo("BROKEN");
        assertThat(verification.path("firstBrokenIndex").asLong()).isEqualTo(carLine);
    }

    @Test
    void prometheus_servesTheCounters_inTextFormat_toALoopbackCaller() throws Exception {
        SecurityMetrics security = app.context().getBean(SecurityMetrics.class);
        security.failedSignIn("acme");
        security.failedSignIn("acme");
        security.lockout("acme");
        security.crossTenantRefused("no-such-tenant");
        Instant t = Instant.now();
        device.publishTelemetry(telemetry(1, t), telemetry(2, t.plusSeconds(1)));
        device.publishTelemetry(telemetry(2, t.plusSeconds(1)));

        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertThat(expect(200, app.http.get("/prometheus", null)).body())
                        .contains("latchkey_telemetry_duplicates_total{tenant=\"acme\"} 1.0"));
        Http.Reply scrape = expect(200, app.http.get("/prometheus", null));

        assertThat(scrape.contentType()).startsWith("text/plain");
        assertThat(scrape.body())
                .contains("# TYPE latchkey_signin_failed_total counter")
                .contains("latchkey_signin_failed_total{tenant=\"acme\"} 2.0")
                .contains("latchkey_account_lockouts_total{tenant=\"acme\"} 1.0")
                .contains("latchkey_cross_tenant_refused_total{tenant=\"unknown\"} 1.0")
                .contains("latchkey_commands_seconds_count{outcome=\"EXECUTED\",tenant=\"acme\",type=\"UNLOCK\"} 1")
                .contains("latchkey_commands_seconds_sum{outcome=\"EXECUTED\",tenant=\"acme\",type=\"UNLOCK\"}")
                .contains("latchkey_telemetry_stored_total{tenant=\"acme\"} 2.0");
    }

    @Test
    void prometheus_throughAProxy_isRefused() {
        Http.Reply reply = app.http.send(HttpRequest.GET("/prometheus").header("X-Forwarded-For", "203.0.113.7"));
        assertThat(reply.status()).isIn(401, 403);
        assertThat(reply.body()).doesNotContain("latchkey_");
    }

    private static JsonNode find(JsonNode records, String action) {
        for (JsonNode r : records) {
            if (action.equals(r.path("action").asText())) {
                return r;
            }
        }
        throw new AssertionError("no " + action + " in " + records);
    }

    private static int indexOf(List<String> lines, String needle) {
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).contains(needle)) {
                return i;
            }
        }
        throw new AssertionError(needle + " not in the trail");
    }

    private static String userId(String token) {
        try {
            return com.nimbusds.jwt.SignedJWT.parse(token).getJWTClaimsSet().getSubject();
        } catch (java.text.ParseException e) {
            throw new AssertionError(e);
        }
    }

    private static TelemetryRecord telemetry(long seq, Instant time) {
        return new TelemetryRecord(seq, time, 52.52, 13.405, 0.0, 12000.0 + seq, LockState.LOCKED, false, false, 3,
                Map.of(), "PERIODIC");
    }
}
