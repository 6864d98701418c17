package io.latchkey.cloud.it;

import static io.latchkey.cloud.it.CloudApp.PASSWORD;
import static io.latchkey.cloud.it.CloudApp.expect;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.latchkey.cloud.mqtt.IngestionCounters;
import io.latchkey.protocol.Channel;
import io.latchkey.protocol.LockState;
import io.latchkey.protocol.telemetry.TelemetryRecord;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/** Bad input and attacks: each is refused with the documented status, and none changes any state. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RefusalsIT {
    @TempDir
    static Path dataDir;
    CloudApp app;
    TestDevice device;
    String tenantAdmin;
    String operator;
    String borrower;
    String foreignBorrower;

    @BeforeAll
    void start() throws Exception {
        app = CloudApp.start(dataDir, Map.of("latchkey.commands.timeout", "3s"));
        tenantAdmin = app.tenantWithAdmin("acme");
        operator = app.user("acme", tenantAdmin, "olga@acme.test", "operator");
        borrower = app.user("acme", tenantAdmin, "bob@acme.test", "borrower");
        app.car("acme", operator, "car-1", "dev-001");
        String betaAdmin = app.tenantWithAdmin("beta");
        foreignBorrower = app.user("beta", betaAdmin, "bob@beta.test", "borrower");
        JsonNode discovery = expect(200, app.http.get("/t/acme/.well-known/latchkey-device", null)).json();
        device = new TestDevice(app, "acme", "dev-001", TestDevice.keys(discovery), Clock.systemUTC());
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
    void unknownCar_is404() {
        Http.Reply reply = app.http.get("/t/acme/cars/no-such-car", operator);
        assertProblem(reply, 404, "unknown car no-such-car");
        assertProblem(app.http.postJson("/t/acme/cars/no-such-car/commands", operator, Map.of("type", "UNLOCK")), 404,
                "unknown car");
    }

    @Test
    void unknownTenant_is404() {
        assertProblem(app.http.get("/t/nobody/.well-known/jwks.json", null), 404, "unknown tenant nobody");
    }

    @Test
    void request_withoutToken_is401() {
        assertProblem(app.http.get("/t/acme/cars", null), 401, "bearer");
    }

    @Test
    void malformedToken_is401() {
        assertProblem(app.http.get("/t/acme/cars", "not.a.jwt"), 401, "bearer");
        assertProblem(app.http.get("/t/acme/cars", "garbage"), 401, "bearer");
    }

    @Test
    void foreignTenantToken_is401() {
        assertProblem(app.http.get("/t/acme/cars", foreignBorrower), 401, "bearer");
        assertProblem(app.http.get("/t/beta/cars", borrower), 401, "bearer");
        assertProblem(app.http.get("/t/acme/cars", app.adminToken()), 401, "bearer");
    }

    @Test
    void tenantToken_onPlatformRoutes_is401() {
        assertProblem(app.http.get("/platform/tenants", tenantAdmin), 401, "bearer");
    }

    @Test
    void algNoneToken_is401() throws Exception {
        assertProblem(app.http.get("/t/acme/cars", Tokens.algNone(borrower)), 401, "bearer");
    }

    @Test
    void symmetricallySignedToken_is401() throws Exception {
        assertProblem(app.http.get("/t/acme/cars", Tokens.hs256(borrower)), 401, "bearer");
    }

    @Test
    void aZeroSignature_orATruncatedOne_is401() throws Exception {
        // r = s = 0 is the "psychic signature" some ECDSA verifiers once accepted (CVE-2022-21449).
        assertProblem(app.http.get("/t/acme/cars", Tokens.withSignature(borrower, new byte[64])), 401, "bearer");
        byte[] genuine = java.util.Base64.getUrlDecoder().decode(com.nimbusds.jwt.SignedJWT.parse(borrower).getParsedParts()[2].toString());
        assertProblem(app.http.get("/t/acme/cars", Tokens.withSignature(borrower, java.util.Arrays.copyOf(genuine, 63))), 401, "bearer");
        expect(200, app.http.get("/t/acme/cars", Tokens.withSignature(borrower, genuine)));
    }

    @Test
    void tamperedClaims_are401() throws Exception {
        assertProblem(app.http.get("/t/acme/bookings", Tokens.tamperedRoles(borrower)), 401, "bearer");
    }

    @Test
    void wrongIssuer_orAudience_signedWithTheTenantsOwnKey_is401() throws Exception {
        com.nimbusds.jose.jwk.ECKey acmeKey = signingKey("acme");
        String kid = acmeKey.getKeyID();
        assertProblem(app.http.get("/t/acme/cars", Tokens.signed(acmeKey, kid,
                Tokens.claimsOf(borrower, c -> c.issuer("https://evil.example/t/acme")))), 401, "bearer");
        assertProblem(app.http.get("/t/acme/cars", Tokens.signed(acmeKey, kid,
                Tokens.claimsOf(borrower, c -> c.audience("another-api")))), 401, "bearer");
        assertProblem(app.http.get("/t/acme/cars", Tokens.signed(acmeKey, kid,
                Tokens.claimsOf(borrower, c -> c.claim("tenant", "beta")))), 401, "bearer");
        assertProblem(app.http.get("/t/acme/cars", Tokens.signed(acmeKey, kid,
                Tokens.claimsOf(borrower, c -> c.claim("sv", null)))), 401, "bearer");
        expect(200, app.http.get("/t/acme/cars", Tokens.signed(acmeKey, kid, Tokens.claimsOf(borrower, c -> c))));
    }

    @Test
    void anotherTenantsKey_orAStrangersKey_withThisTenantsClaims_is401() throws Exception {
        com.nimbusds.jose.jwk.ECKey betaKey = signingKey("beta");
        String acmeKid = signingKey("acme").getKeyID();
        assertProblem(app.http.get("/t/acme/cars", Tokens.signed(betaKey, betaKey.getKeyID(),
                Tokens.claimsOf(borrower, c -> c))), 401, "bearer");
        assertProblem(app.http.get("/t/acme/cars", Tokens.signed(betaKey, acmeKid,
                Tokens.claimsOf(borrower, c -> c))), 401, "bearer");
        com.nimbusds.jose.jwk.ECKey stranger = new com.nimbusds.jose.jwk.gen.ECKeyGenerator(com.nimbusds.jose.jwk.Curve.P_256)
                .keyID(acmeKid).generate();
        assertProblem(app.http.get("/t/acme/cars", Tokens.signed(stranger, acmeKid,
                Tokens.claimsOf(borrower, c -> c))), 401, "bearer");
    }

    @Test
    void aForeignToken_isRefused_evenOnRoutesOpenToAnonymousCallers() {
        assertProblem(app.http.get("/t/acme/.well-known/jwks.json", foreignBorrower), 401, "bearer");
        assertProblem(app.http.postJson("/t/acme/users", foreignBorrower,
                Map.of("email", "sneaky@acme.test", "name", "S", "password", PASSWORD)), 401, "bearer");
    }

    private com.nimbusds.jose.jwk.ECKey signingKey(String tenant) {
        return (com.nimbusds.jose.jwk.ECKey) app.context().getBean(io.latchkey.cloud.identity.SigningKeys.class)
                .ensure(tenant).getKeys().get(0);
    }

    @Test
    void expiredToken_is401() {
        String token = app.token("acme", "bob@acme.test");
        expect(200, app.http.get("/t/acme/cars", token));
        app.clock().advance(Duration.ofMinutes(15));
        try {
            assertProblem(app.http.get("/t/acme/cars", token), 401, "bearer");
        } finally {
            app.clock().reset();
        }
    }

    @Test
    void notYetValidToken_is401() {
        app.clock().advance(Duration.ofMinutes(5));
        String fromTheFuture;
        try {
            fromTheFuture = app.token("acme", "bob@acme.test");
        } finally {
            app.clock().reset();
        }
        assertProblem(app.http.get("/t/acme/cars", fromTheFuture), 401, "bearer");
    }

    @Test
    void wrongRole_is403() {
        assertProblem(app.http.postJson("/t/acme/cars", borrower,
                Map.of("name", "x", "plate", "x", "deviceId", "dev-x")), 403, "roles");
        assertProblem(app.http.get("/t/acme/cars/car-1/telemetry", borrower), 403, "roles");
    }

    @Test
    void unlock_withoutBooking_isRefused() {
        int sent = device.receivedCommands().size();
        assertProblem(app.http.postJson("/t/acme/cars/car-1/commands", borrower, Map.of("type", "UNLOCK")), 403,
                "no booking of yours covers now for car car-1");
        assertProblem(app.http.get("/t/acme/cars/car-1", borrower), 403, "no booking of yours covers now");
        assertThat(device.receivedCommands()).hasSize(sent);
    }

    @Test
    void unknownCommandType_is400() {
        assertProblem(app.http.postJson("/t/acme/cars/car-1/commands", operator, Map.of("type", "SELF_DESTRUCT")), 400,
                "type must be UNLOCK, LOCK, IMMOBILISE or MOBILISE");
    }

    @Test
    void malformedJson_is400_withAMessage() {
        Http.Reply reply = app.http.postJson("/t/acme/bookings", borrower, "{\"carId\": \"car-1\", ");
        assertProblem(reply, 400, "JSON");
        assertThat(reply.body()).doesNotContain("at io.").doesNotContain("Exception");
    }

    @Test
    void bookings_areValidated() {
        Instant now = Instant.now();
        assertProblem(app.http.postJson("/t/acme/bookings", borrower, Map.of("carId", "car-1",
                "start", now.plusSeconds(3600).toString(), "end", now.plusSeconds(60).toString())), 400, "end must be after start");
        assertProblem(app.http.postJson("/t/acme/bookings", borrower, Map.of("carId", "no-car",
                "start", now.toString(), "end", now.plusSeconds(60).toString())), 404, "unknown car");
        assertProblem(app.http.postJson("/t/acme/bookings", borrower, Map.of("carId", "car-1", "start", "yesterday",
                "end", now.toString())), 400, "");
    }

    @Test
    void overlappingBooking_is409() {
        app.car("acme", operator, "car-2", "dev-002");
        String other = app.user("acme", tenantAdmin, "carla@acme.test", "borrower");
        Instant start = Instant.now().plus(Duration.ofDays(2));
        expect(201, app.http.postJson("/t/acme/bookings", other, Map.of("carId", "car-2",
                "start", start.toString(), "end", start.plus(Duration.ofHours(2)).toString())));
        assertProblem(app.http.postJson("/t/acme/bookings", borrower, Map.of("carId", "car-2",
                "start", start.plus(Duration.ofHours(1)).toString(), "end", start.plus(Duration.ofHours(3)).toString())),
                409, "already booked");
        expect(201, app.http.postJson("/t/acme/bookings", borrower, Map.of("carId", "car-2",
                "start", start.plus(Duration.ofHours(2)).toString(), "end", start.plus(Duration.ofHours(3)).toString())));
    }

    @Test
    void registration_refusesTakenEmail_weakPassword_andSelfGrantedRoles() {
        assertProblem(app.http.postJson("/t/acme/users", null,
                Map.of("email", "BOB@acme.test", "name", "Bob again", "password", PASSWORD)), 409, "already registered");
        assertProblem(app.http.postJson("/t/acme/users", null,
                Map.of("email", "short@acme.test", "name", "S", "password", "elevenchars")), 400, "at least 12");
        assertProblem(app.http.postJson("/t/acme/users", null,
                Map.of("email", "root@acme.test", "name", "R", "password", PASSWORD, "roles", java.util.List.of("operator"))),
                403, "tenant-admin");
        assertProblem(app.http.postJson("/t/acme/users", null,
                Map.of("email", "not-an-email", "name", "N", "password", PASSWORD)), 400, "email");
    }

    @Test
    void longPasswords_areAcceptedWhole_neverTruncated() {
        String base = "ü".repeat(80);
        expect(201, app.http.postJson("/t/acme/users", null,
                Map.of("email", "long@acme.test", "name", "L", "password", base + "A")));
        Http.Reply wrongTail = app.http.postForm("/t/acme/oauth/token",
                Map.of("grant_type", "password", "username", "long@acme.test", "password", base + "B"));
        assertThat(wrongTail.status()).isEqualTo(400);
        assertThat(wrongTail.text("error")).isEqualTo("invalid_grant");
        expect(200, app.http.postForm("/t/acme/oauth/token",
                Map.of("grant_type", "password", "username", "long@acme.test", "password", base + "A")));
    }

    @Test
    void selfRegistration_givesBorrower_andMeShowsOwnProfile() {
        expect(201, app.http.postJson("/t/acme/users", null,
                Map.of("email", "dora@acme.test", "name", "Dora", "password", PASSWORD)));
        JsonNode token = app.tokenResponse("acme", "dora@acme.test");
        assertThat(token.path("scope").asText()).isEqualTo("borrower");
        assertThat(token.path("expires_in").asLong()).isLessThanOrEqualTo(900);
        JsonNode me = expect(200, app.http.get("/t/acme/users/me", token.path("access_token").asText())).json();
        assertThat(me.path("email").asText()).isEqualTo("dora@acme.test");
        assertThat(me.path("roles").toString()).isEqualTo("[\"borrower\"]");
        assertThat(me.has("passwordHash")).isFalse();
    }

    @Test
    void refreshToken_rotates_andAUsedOneIsRefused() {
        JsonNode first = app.tokenResponse("acme", "bob@acme.test");
        String refresh = first.path("refresh_token").asText();
        Http.Reply rotated = expect(200, app.http.postForm("/t/acme/oauth/token",
                Map.of("grant_type", "refresh_token", "refresh_token", refresh)));
        String next = rotated.text("refresh_token");
        assertThat(next).isNotEqualTo(refresh);
        expect(200, app.http.get("/t/acme/cars", rotated.text("access_token")));

        Http.Reply reused = app.http.postForm("/t/acme/oauth/token", Map.of("grant_type", "refresh_token", "refresh_token", refresh));
        assertThat(reused.status()).isEqualTo(400);
        assertThat(reused.text("error")).isEqualTo("invalid_grant");
        Http.Reply successorAfterReuse = app.http.postForm("/t/acme/oauth/token",
                Map.of("grant_type", "refresh_token", "refresh_token", next));
        assertThat(successorAfterReuse.text("error")).isEqualTo("invalid_grant");
    }

    @Test
    void tokenEndpoint_answersInOAuthForm() {
        Http.Reply wrong = app.http.postForm("/t/acme/oauth/token",
                Map.of("grant_type", "password", "username", "bob@acme.test", "password", "wrong password!!"));
        assertThat(wrong.status()).isEqualTo(400);
        assertThat(wrong.text("error")).isEqualTo("invalid_grant");
        Http.Reply unsupported = app.http.postForm("/t/acme/oauth/token", Map.of("grant_type", "client_credentials"));
        assertThat(unsupported.text("error")).isEqualTo("unsupported_grant_type");
    }

    @Test
    void discovery_describesTheTenantIssuer() {
        JsonNode config = expect(200, app.http.get("/t/acme/.well-known/openid-configuration", null)).json();
        assertThat(config.path("issuer").asText()).endsWith("/t/acme");
        JsonNode jwks = expect(200, app.http.get("/t/acme/.well-known/jwks.json", null)).json();
        assertThat(jwks.path("keys").get(0).path("alg").asText()).isEqualTo("ES256");
        assertThat(jwks.path("keys").get(0).has("d")).isFalse();
        assertThat(jwks.path("keys").get(0).path("kid").asText()).isNotEqualTo(
                expect(200, app.http.get("/t/beta/.well-known/jwks.json", null)).json().path("keys").get(0).path("kid").asText());
    }

    @Test
    void health_andOpenApi_needNoToken() {
        assertThat(expect(200, app.http.get("/health", null)).text("status")).isEqualTo("UP");
        assertThat(expect(200, app.http.get("/swagger/latchkey-api-0.1.yml", null)).body()).contains("/t/{tenant}/oauth/token");
    }

    @Test
    void unknownRoute_is404Problem() {
        assertProblem(app.http.get("/no/such/route", null), 404, "");
    }

    @Test
    void malformedDeviceMessages_areCountedAndDropped_andIngestionGoesOn() throws Exception {
        IngestionCounters counters = app.context().getBean(IngestionCounters.class);
        long dropped = counters.droppedCount();
        int receipts = device.receipts().size();
        device.publishRaw(Channel.TELEMETRY, "{not json".getBytes(StandardCharsets.UTF_8));
        device.publishRaw(Channel.ACK, "[]".getBytes(StandardCharsets.UTF_8));
        device.publishRaw(Channel.STATE, new byte[0]);
        await().atMost(Duration.ofSeconds(10)).until(() -> counters.droppedCount() >= dropped + 3);
        assertThat(device.receipts()).as("nothing stored, nothing receipted").hasSize(receipts);
        device.publishTelemetry(new TelemetryRecord(1, Instant.now(), 1.0, 2.0, 0.0, 10.0, LockState.LOCKED, false, false,
                3, Map.of(), "PERIODIC"));
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertThat(expect(200, app.http.get("/t/acme/cars/car-1/telemetry", operator)).json().findValuesAsText("seq"))
                        .contains("1").doesNotHaveDuplicates());
        await().atMost(Duration.ofSeconds(10)).until(() -> device.receipts().size() > receipts);
        assertThat(device.receipts().subList(receipts, device.receipts().size())).extracting(r -> r.lastSeq()).containsExactly(1L);
    }

    @Test
    void telemetryOfADeviceWithoutCar_isDropped_andNotReceipted_soTheDeviceKeepsIt() throws Exception {
        IngestionCounters counters = app.context().getBean(IngestionCounters.class);
        long dropped = counters.droppedCount();
        JsonNode discovery = expect(200, app.http.get("/t/acme/.well-known/latchkey-device", null)).json();
        // a device without car has no certificate and cannot connect itself: its messages come from whoever
        // controls the broker (an external broker's own clients, for example)
        try (TestDevice stranger = TestDevice.overServiceIdentity(app, "acme", "dev-nocar", TestDevice.keys(discovery),
                Clock.systemUTC())) {
            stranger.publishTelemetry(new TelemetryRecord(1, Instant.now(), 1.0, 2.0, 0.0, 10.0, LockState.LOCKED, false,
                    false, 3, Map.of(), "PERIODIC"));
            await().atMost(Duration.ofSeconds(10)).until(() -> counters.droppedCount() >= dropped + 1);
            // the receipt would have been published before the drop was counted, had there been one
            device.publishTelemetry(new TelemetryRecord(2, Instant.now(), 1.0, 2.0, 0.0, 10.0, LockState.LOCKED, false,
                    false, 3, Map.of(), "PERIODIC"));
            await().atMost(Duration.ofSeconds(10)).until(() -> device.receipts().stream().anyMatch(r -> r.lastSeq() == 2));
            assertThat(stranger.receipts()).isEmpty();
        }
    }

    @Test
    void badInput_changesNoState() throws Exception {
        Map<String, String> before = snapshot(dataDir.resolve("tenants"));
        app.http.get("/t/acme/cars/no-such-car", operator);
        app.http.postJson("/t/acme/cars/no-such-car/commands", operator, Map.of("type", "UNLOCK"));
        app.http.postJson("/t/acme/cars", null, Map.of("name", "x", "plate", "x", "deviceId", "dev-9"));
        app.http.postJson("/t/acme/cars", foreignBorrower, Map.of("name", "x", "plate", "x", "deviceId", "dev-9"));
        app.http.postJson("/t/acme/cars", Tokens.algNone(operator), Map.of("name", "x", "plate", "x", "deviceId", "dev-9"));
        app.http.postJson("/t/acme/cars", borrower, Map.of("name", "x", "plate", "x", "deviceId", "dev-9"));
        app.http.postJson("/t/acme/cars/car-1/commands", borrower, Map.of("type", "UNLOCK"));
        app.http.postJson("/t/acme/bookings", borrower, "{\"carId\": ");
        app.http.postJson("/t/acme/bookings", borrower, Map.of("carId", "car-1", "start", Instant.now().toString(),
                "end", Instant.now().minusSeconds(10).toString()));
        app.http.postJson("/t/acme/users", null, Map.of("email", "bob@acme.test", "name", "B", "password", PASSWORD));
        assertThat(snapshot(dataDir.resolve("tenants"))).isEqualTo(before);
    }

    /** Every file's bytes, except the audit trails: refused commands are audited on purpose (POLICY). */
    private static Map<String, String> snapshot(Path root) throws IOException {
        Map<String, String> files = new TreeMap<>();
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path p : paths.filter(Files::isRegularFile).filter(p -> !p.endsWith(Path.of("streams", "audit.jsonl"))).toList()) {
                files.put(root.relativize(p).toString(), Integer.toHexString(java.util.Arrays.hashCode(Files.readAllBytes(p))));
            }
        }
        return files;
    }

    static void assertProblem(Http.Reply reply, int status, String detailFragment) {
        assertThat(reply.status()).as(reply.body()).isEqualTo(status);
        assertThat(reply.contentType()).startsWith("application/problem+json");
        JsonNode problem = reply.json();
        assertThat(problem.path("status").asInt()).isEqualTo(status);
        assertThat(problem.path("title").asText()).isNotBlank();
        assertThat(problem.path("type").asText()).isEqualTo("about:blank");
        assertThat(problem.path("detail").asText()).containsIgnoringCase(detailFragment);
    }
}
