package io.latchkey.cloud.http;

import static io.latchkey.cloud.it.CloudApp.PASSWORD;
import static io.latchkey.cloud.it.CloudApp.expect;
import static org.assertj.core.api.Assertions.assertThat;

import io.latchkey.cloud.it.CloudApp;
import io.latchkey.cloud.it.Mailbox;
import io.latchkey.cloud.it.RecordingAuditLog;
import io.latchkey.cloud.pki.Pem;
import io.latchkey.cloud.pki.TestCsrs;
import io.latchkey.protocol.Json;
import io.micronaut.http.HttpMethod;
import io.micronaut.management.endpoint.annotation.Endpoint;
import io.micronaut.web.router.Router;
import io.micronaut.web.router.UriRouteInfo;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.Signature;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every route that can change state, as the running router knows it: a successful call appends the right
 * record to the right audit trail (the tenant's; platform actions land in the trail of the tenant they
 * act on). A new non-GET route fails this test until it gets a scenario here, or a place on the
 * commented allow-list.
 */
class AuditCoverageIT {
    /** Non-GET routes whose calls are not audited, and why. */
    static final Map<String, String> NOT_AUDITED = Map.of(
            "POST /platform/oauth/token", "token issue: no business data changes; failed sign-ins and lockouts are counted on the admin record",
            "POST /t/{tenant}/oauth/token", "token issue: no business data changes; refusals and lockouts are audited (user.sign-in, user.lockout)",
            "POST /t/{tenant}/oauth/authorize", "code issue, like the token endpoint: refusals and lockouts are audited by the same sign-in (user.sign-in, user.lockout); the browser session it leads to is audited at the callback (user.session.start)",
            "POST /token_info", "Micronaut Security's token introspection: reads the presented token, changes nothing");

    record Expected(String tenant, String action) {
    }

    @TempDir
    Path dataDir;

    @Test
    void everyStateChangingRoute_appendsItsAuditRecord() {
        try (CloudApp app = CloudApp.start(dataDir, Map.of("test.audit", "recording", "latchkey.commands.timeout", "1s"))) {
            RecordingAuditLog audit = app.context().getBean(RecordingAuditLog.class);
            String platform = app.adminToken();
            String admin = app.tenantWithAdmin("acme");
            String operator = app.user("acme", admin, "olga@acme.test", "operator");
            String installer = app.user("acme", admin, "ian@acme.test", "installer");
            String bob = app.user("acme", admin, "bob@acme.test", "borrower");
            String bobId = expect(200, app.http.get("/t/acme/users/me", bob)).text("id");
            String carl = app.user("acme", admin, "carl@acme.test", "borrower");
            String carlId = expect(200, app.http.get("/t/acme/users/me", carl)).text("id");
            String pam = app.user("acme", admin, "pam@acme.test", "borrower");
            expect(200, app.http.patchJson("/t/acme/users/me", pam, Map.of("phone", "+49 30 555 0101")));
            String owner = app.user("acme", admin, "owen@acme.test", "owner");
            String ownerId = expect(200, app.http.get("/t/acme/users/me", owner)).text("id");
            app.car("acme", operator, "car-1", "dev-001");
            Instant now = Instant.now();
            String[] resetToken = new String[1];

            Map<String, Scenario> scenarios = new LinkedHashMap<>();
            scenarios.put("POST /platform/tenants", new Scenario(new Expected("gamma", "tenant.create"),
                    () -> expect(201, app.http.postJson("/platform/tenants", platform, Map.of("id", "gamma", "name", "Gamma")))));
            scenarios.put("POST /platform/tenants/{tenant}/admins", new Scenario(new Expected("gamma", "user.register"),
                    () -> expect(201, app.http.postJson("/platform/tenants/gamma/admins", platform,
                            Map.of("email", "admin@gamma.test", "name", "Admin", "password", PASSWORD)))));
            scenarios.put("POST /t/{tenant}/users", new Scenario(new Expected("acme", "user.register"),
                    () -> expect(201, app.http.postJson("/t/acme/users", null,
                            Map.of("email", "new@acme.test", "name", "New", "password", PASSWORD)))));
            scenarios.put("PATCH /t/{tenant}/users/me", new Scenario(new Expected("acme", "user.profile.change"),
                    () -> expect(200, app.http.patchJson("/t/acme/users/me", bob, Map.of("phone", "+1 555 0100")))));
            scenarios.put("POST /t/{tenant}/keys/rotate", new Scenario(new Expected("acme", "keys.rotate"),
                    () -> expect(200, app.http.postJson("/t/acme/keys/rotate", admin, Map.of("key", "command")))));
            scenarios.put("POST /t/{tenant}/cars", new Scenario(new Expected("acme", "car.create"),
                    () -> app.car("acme", operator, "car-2", "dev-002")));
            scenarios.put("POST /t/{tenant}/cars/batch", new Scenario(new Expected("acme", "car.create"),
                    () -> expect(201, app.http.postJson("/t/acme/cars/batch", operator, Map.of("cars", List.of(
                            Map.of("id", "car-batch-1", "name", "Batch", "plate", "B-1", "deviceId", "dev-batch-1")))))));
            scenarios.put("PUT /t/{tenant}/cars/{carId}/owner", new Scenario(new Expected("acme", "car.owner.assign"),
                    () -> expect(200, app.http.send(io.micronaut.http.HttpRequest.PUT("/t/acme/cars/car-1/owner",
                            Map.of("userId", ownerId)).bearerAuth(operator)))));
            scenarios.put("PUT /t/{tenant}/cars/{carId}/home-zone", new Scenario(new Expected("acme", "car.home-zone.set"),
                    () -> expect(200, app.http.putJson("/t/acme/cars/car-1/home-zone", operator,
                            Map.of("lat", 52.52, "lon", 13.40, "radiusM", 800.0)))));
            scenarios.put("DELETE /t/{tenant}/cars/{carId}/home-zone", new Scenario(new Expected("acme", "car.home-zone.remove"),
                    () -> expect(204, app.http.delete("/t/acme/cars/car-1/home-zone", operator))));
            String eventId = app.context().getBean(io.latchkey.cloud.event.Events.class)
                    .raise("acme", "car-1", "TEST_EVENT", Map.of()).id();
            scenarios.put("POST /t/{tenant}/events/{eventId}/ack", new Scenario(new Expected("acme", "event.ack"),
                    () -> expect(200, app.http.postJson("/t/acme/events/" + eventId + "/ack", operator, Map.of()))));
            scenarios.put("POST /t/{tenant}/bookings", new Scenario(new Expected("acme", "booking.create"),
                    () -> expect(201, app.http.postJson("/t/acme/bookings", bob, Map.of("carId", "car-1",
                            "start", now.minusSeconds(60).toString(), "end", now.plus(Duration.ofHours(1)).toString())))));
            scenarios.put("POST /t/{tenant}/bookings/{id}/cancel", new Scenario(new Expected("acme", "booking.cancel"), () -> {
                String id = expect(201, app.http.postJson("/t/acme/bookings", bob, Map.of("carId", "car-1",
                        "start", now.plus(Duration.ofDays(2)).toString(), "end", now.plus(Duration.ofDays(2)).plusSeconds(3600).toString()))).text("id");
                expect(200, app.http.postJson("/t/acme/bookings/" + id + "/cancel", bob, Map.of()));
            }));
            scenarios.put("DELETE /t/{tenant}/bookings/{id}", new Scenario(new Expected("acme", "booking.cancel"), () -> {
                String id = expect(201, app.http.postJson("/t/acme/bookings", bob, Map.of("carId", "car-1",
                        "start", now.plus(Duration.ofDays(3)).toString(), "end", now.plus(Duration.ofDays(3)).plusSeconds(3600).toString()))).text("id");
                expect(200, app.http.delete("/t/acme/bookings/" + id, operator));
            }));
            scenarios.put("POST /t/{tenant}/bookings/{id}/extend", new Scenario(new Expected("acme", "booking.extend"), () -> {
                String id = expect(201, app.http.postJson("/t/acme/bookings", bob, Map.of("carId", "car-1",
                        "start", now.plus(Duration.ofDays(4)).toString(), "end", now.plus(Duration.ofDays(4)).plusSeconds(3600).toString()))).text("id");
                expect(200, app.http.postJson("/t/acme/bookings/" + id + "/extend", bob,
                        Map.of("end", now.plus(Duration.ofDays(4)).plusSeconds(7200).toString())));
            }));
            String[] keyBooking = new String[1];
            String[] keyId = new String[1];
            scenarios.put("PUT /t/{tenant}/bookings/{id}/co-drivers", new Scenario(new Expected("acme", "booking.co-drivers"), () -> {
                keyBooking[0] = expect(201, app.http.postJson("/t/acme/bookings", pam, Map.of("carId", "car-1",
                        "start", now.plus(Duration.ofHours(2)).toString(), "end", now.plus(Duration.ofHours(3)).toString()))).text("id");
                expect(200, app.http.putJson("/t/acme/bookings/" + keyBooking[0] + "/co-drivers", pam,
                        Map.of("coDrivers", List.of(bobId))));
            }));
            scenarios.put("POST /t/{tenant}/bookings/{id}/keys", new Scenario(new Expected("acme", "key.issued"), () -> {
                app.device("acme", "dev-001");
                String envelope = expect(201, app.http.postJson("/t/acme/bookings/" + keyBooking[0] + "/keys", pam,
                        Map.of("publicKey", phoneKey()))).text("document");
                keyId[0] = (String) Json.read(Base64.getUrlDecoder().decode(envelope), Map.class).get("keyId");
            }));
            scenarios.put("POST /t/{tenant}/keys/{keyId}/revoke", new Scenario(new Expected("acme", "key.revoked"),
                    () -> expect(200, app.http.postJson("/t/acme/keys/" + keyId[0] + "/revoke", operator, Map.of()))));
            scenarios.put("POST /t/{tenant}/users/me/keys/revoke", new Scenario(new Expected("acme", "key.revoked"), () -> {
                expect(201, app.http.postJson("/t/acme/bookings/" + keyBooking[0] + "/keys", pam, Map.of("publicKey", phoneKey())));
                expect(200, app.http.postJson("/t/acme/users/me/keys/revoke", pam, Map.of()));
            }));
            scenarios.put("PUT /t/{tenant}/policy", new Scenario(new Expected("acme", "tenant.policy.change"),
                    () -> expect(200, app.http.putJson("/t/acme/policy", admin, Map.of("immobiliseWhenIdle", false)))));
            // the car is offline here: END_RENTAL times out (504), and the command's outcome is what the trail must show
            scenarios.put("POST /t/{tenant}/bookings/{id}/end", new Scenario(new Expected("acme", "car.end_rental"), () -> {
                Instant from = now.plus(Duration.ofDays(5));
                String id = expect(201, app.http.postJson("/t/acme/bookings", bob, Map.of("carId", "car-1",
                        "start", from.toString(), "end", from.plusSeconds(3600).toString()))).text("id");
                app.context().getBean(io.latchkey.cloud.booking.BookingService.class).started("acme", "car-1", bobId, from.plusSeconds(60));
                expect(504, app.http.postJson("/t/acme/bookings/" + id + "/end", bob, Map.of()));
            }));
            // the car is offline here: the command times out, and that outcome is what the trail must show
            scenarios.put("POST /t/{tenant}/cars/{carId}/commands", new Scenario(new Expected("acme", "car.unlock"),
                    () -> app.http.postJson("/t/acme/cars/car-1/commands", bob, Map.of("type", "UNLOCK"))));
            scenarios.put("POST /t/{tenant}/devices/{deviceId}/certificate", new Scenario(new Expected("acme", "device.certificate-issued"),
                    () -> expect(201, app.http.postJson("/t/acme/devices/dev-002/certificate", installer, Map.of("carId", "car-2",
                            "csr", TestCsrs.csr("CN=dev-002,O=acme", TestCsrs.p256()))))));
            scenarios.put("POST /t/{tenant}/devices/{deviceId}/decommission", new Scenario(new Expected("acme", "device.certificate-revoked"),
                    () -> expect(200, app.http.postJson("/t/acme/devices/dev-002/decommission", installer, Map.of("reason", "test")))));
            scenarios.put("POST /t/{tenant}/devices/{deviceId}/install-report", new Scenario(new Expected("acme", "device.install-report"),
                    () -> installReport(app, operator, installer)));
            scenarios.put("POST /t/{tenant}/devices/{deviceId}/renewal", new Scenario(new Expected("acme", "device.certificate-renewed"),
                    () -> renewal(app, operator, installer)));
            scenarios.put("POST /t/{tenant}/data-access", new Scenario(new Expected("acme", "data-access.grant"),
                    () -> expect(201, app.http.postJson("/t/acme/data-access", admin, Map.of("days", 1)))));
            java.security.KeyPair updateKey = io.latchkey.protocol.Keys.newCommandKeyPair();
            String[] release = new String[1];
            String[] rollout = new String[1];
            scenarios.put("POST /t/{tenant}/update-keys", new Scenario(new Expected("acme", "ota.update-key-added"),
                    () -> expect(201, app.http.postJson("/t/acme/update-keys", operator, Map.of("kid", "upd-1",
                            "publicKey", io.latchkey.protocol.Keys.encodePublic(updateKey.getPublic()))))));
            scenarios.put("POST /t/{tenant}/releases", new Scenario(new Expected("acme", "ota.release-uploaded"), () ->
                    release[0] = expect(201, app.http.send(io.micronaut.http.HttpRequest.POST("/t/acme/releases", otaBundle(dataDir, updateKey))
                            .contentType(io.micronaut.http.MediaType.of("application/zip")).bearerAuth(operator))).text("id")));
            scenarios.put("POST /t/{tenant}/rollouts", new Scenario(new Expected("acme", "ota.rollout-created"), () ->
                    rollout[0] = expect(201, app.http.postJson("/t/acme/rollouts", operator, Map.of("releaseId", release[0],
                            "target", Map.of("cars", List.of("car-1"))))).text("id")));
            scenarios.put("POST /t/{tenant}/rollouts/{rolloutId}/pause", new Scenario(new Expected("acme", "ota.rollout-pause"),
                    () -> expect(200, app.http.postJson("/t/acme/rollouts/" + rollout[0] + "/pause", operator, Map.of()))));
            scenarios.put("POST /t/{tenant}/rollouts/{rolloutId}/resume", new Scenario(new Expected("acme", "ota.rollout-resume"),
                    () -> expect(200, app.http.postJson("/t/acme/rollouts/" + rollout[0] + "/resume", operator, Map.of()))));
            scenarios.put("POST /t/{tenant}/rollouts/{rolloutId}/cancel", new Scenario(new Expected("acme", "ota.rollout-cancel"),
                    () -> expect(200, app.http.postJson("/t/acme/rollouts/" + rollout[0] + "/cancel", operator, Map.of()))));
            scenarios.put("POST /t/{tenant}/users/{userId}/lock", new Scenario(new Expected("acme", "user.lock"),
                    () -> expect(204, app.http.postJson("/t/acme/users/" + carlId + "/lock", operator, Map.of()))));
            scenarios.put("PUT /t/{tenant}/users/{userId}/roles", new Scenario(new Expected("acme", "user.roles.change"),
                    () -> expect(200, app.http.putJson("/t/acme/users/" + carlId + "/roles", admin,
                            Map.of("roles", List.of("borrower", "owner"))))));
            scenarios.put("POST /t/{tenant}/users/{userId}/unlock", new Scenario(new Expected("acme", "user.unlock"),
                    () -> expect(204, app.http.postJson("/t/acme/users/" + carlId + "/unlock", operator, Map.of()))));
            scenarios.put("POST /t/{tenant}/password-resets", new Scenario(new Expected("acme", "user.password-reset.start"), () -> {
                expect(202, app.http.postJson("/t/acme/password-resets", null, Map.of("email", "pam@acme.test")));
                resetToken[0] = Mailbox.lastResetToken(dataDir, "acme", "pam@acme.test").orElseThrow();
            }));
            scenarios.put("POST /t/{tenant}/password-resets/{token}/answers", new Scenario(new Expected("acme", "user.password-reset.answer"),
                    () -> expect(200, app.http.postJson("/t/acme/password-resets/" + resetToken[0] + "/answers", null,
                            Map.of("phone", "+49 30 555 0101")))));
            scenarios.put("POST /t/{tenant}/password-resets/{token}", new Scenario(new Expected("acme", "user.password-reset.complete"),
                    () -> expect(204, app.http.postJson("/t/acme/password-resets/" + resetToken[0], null,
                            Map.of("newPassword", "another perfectly long passphrase")))));
            String[] pageToken = new String[1];
            scenarios.put("POST /t/{tenant}/reset-password", new Scenario(new Expected("acme", "user.password-reset.start"), () -> {
                expect(200, page(app, "/t/acme/reset-password", Map.of("email", "pam@acme.test")));
                pageToken[0] = Mailbox.lastResetToken(dataDir, "acme", "pam@acme.test").orElseThrow();
            }));
            scenarios.put("POST /t/{tenant}/reset-password/{token}/answers", new Scenario(new Expected("acme", "user.password-reset.answer"),
                    () -> expect(200, page(app, "/t/acme/reset-password/" + pageToken[0] + "/answers", Map.of("phone", "+49 30 555 0101")))));
            scenarios.put("POST /t/{tenant}/reset-password/{token}", new Scenario(new Expected("acme", "user.password-reset.complete"),
                    () -> expect(200, page(app, "/t/acme/reset-password/" + pageToken[0], Map.of("newPassword", "a third perfectly long passphrase")))));
            scenarios.put("POST /t/{tenant}/session/logout", new Scenario(new Expected("acme", "user.sign-out"), () -> {
                io.latchkey.cloud.it.Browser browser = app.signedIn("acme", "olga@acme.test", PASSWORD, "latchkey-console");
                String csrf = browser.call("GET", "/t/acme/session", null, Map.of()).body().replaceAll(".*\"csrfToken\":\"([^\"]+)\".*", "$1");
                if (browser.call("POST", "/t/acme/session/logout", null, Map.of("X-CSRF-Token", csrf)).status() != 204) {
                    throw new AssertionError("logout refused");
                }
            }));
            scenarios.put("DELETE /t/{tenant}/users/{userId}", new Scenario(new Expected("acme", "user.terminate"),
                    () -> expect(204, app.http.delete("/t/acme/users/" + carlId, admin))));
            scenarios.put("DELETE /t/{tenant}/users/me", new Scenario(new Expected("acme", "user.terminate"),
                    () -> expect(204, app.http.delete("/t/acme/users/me", bob))));

            Set<String> unchecked = new TreeSet<>();
            for (String route : stateChangingRoutes(app)) {
                if (!scenarios.containsKey(route) && !NOT_AUDITED.containsKey(route)) {
                    unchecked.add(route);
                }
            }
            assertThat(unchecked).as("state-changing routes with no audit scenario").isEmpty();

            List<String> missing = new ArrayList<>();
            scenarios.forEach((route, scenario) -> {
                int before = audit.all().size();
                scenario.call().run();
                // a command's outcome is recorded when it concludes, which can be just after the HTTP answer
                boolean appended = false;
                for (int i = 0; i < 50 && !appended; i++) {
                    var all = audit.all(); // one copy: records may be appended meanwhile (outcomes, sweeps)
                    appended = all.subList(before, all.size()).stream()
                            .anyMatch(r -> r.tenant().equals(scenario.expected().tenant())
                                    && r.entry().action().equals(scenario.expected().action()));
                    if (!appended) {
                        sleep(100);
                    }
                }
                if (!appended) {
                    missing.add(route + " -> " + scenario.expected());
                }
            });
            assertThat(missing).as("calls that left no audit record").isEmpty();
        }
    }

    record Scenario(Expected expected, Runnable call) {
    }

    /** A browser form POST with its double-submit CSRF token, as the pages send it. */
    private static io.latchkey.cloud.it.Http.Reply page(CloudApp app, String path, Map<String, String> fields) {
        Map<String, String> form = new LinkedHashMap<>(fields);
        form.put("csrf", "c".repeat(43));
        return app.http.send(io.micronaut.http.HttpRequest.POST(path, form)
                .contentType(io.micronaut.http.MediaType.APPLICATION_FORM_URLENCODED_TYPE)
                .header("Cookie", "__Host-lk-csrf=" + "c".repeat(43)));
    }

    /** A self-test report of dev-003 signed with its own key, as the installer tool sends it. */
    private static void installReport(CloudApp app, String operator, String installer) {
        try {
            app.car("acme", operator, "car-3", "dev-003");
            KeyPair keys = TestCsrs.p256();
            String certificate = expect(201, app.http.postJson("/t/acme/devices/dev-003/certificate", installer,
                    Map.of("carId", "car-3", "csr", TestCsrs.csr("CN=dev-003,O=acme", keys)))).text("certificate");
            Map<String, Object> report = new LinkedHashMap<>();
            report.put("tenant", "acme");
            report.put("deviceId", "dev-003");
            report.put("carId", "car-3");
            report.put("certificateSerial", Pem.certificate(certificate).getSerialNumber().toString(16));
            report.put("installer", "ian@acme.test");
            report.put("startedAt", Instant.now().minusSeconds(60).toString());
            report.put("finishedAt", Instant.now().toString());
            report.put("passed", true);
            report.put("checks", List.of(Map.of("name", "Door locks", "status", "PASS", "detail", "ok", "hint", "")));
            byte[] payload = Json.write(report);
            Signature signer = Signature.getInstance("SHA256withECDSA");
            signer.initSign(keys.getPrivate());
            signer.update(payload);
            Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
            expect(201, app.http.postJson("/t/acme/devices/dev-003/install-report", installer, Map.of("payload",
                    b64.encodeToString(payload), "signature", b64.encodeToString(signer.sign()), "certificate", certificate)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** dev-004 renews its certificate by the recovery endpoint, with a request signed by its key (no token). */
    private static void renewal(CloudApp app, String operator, String installer) {
        app.car("acme", operator, "car-4", "dev-004");
        KeyPair keys = TestCsrs.p256();
        String certificate = expect(201, app.http.postJson("/t/acme/devices/dev-004/certificate", installer,
                Map.of("carId", "car-4", "csr", TestCsrs.csr("CN=dev-004,O=acme", keys)))).text("certificate");
        io.latchkey.protocol.identity.RenewalRequest request = io.latchkey.protocol.identity.RenewalRequest.signed(
                io.latchkey.protocol.identity.RenewalRequest.Type.RENEW, "r-1", Pem.certificate(certificate).getSerialNumber().toString(16),
                io.latchkey.protocol.identity.CertificateRequests.pem(TestCsrs.p256(), "acme", "dev-004"),
                new io.latchkey.protocol.device.DeviceSigner(keys.getPrivate()));
        expect(201, app.http.postJson("/t/acme/devices/dev-004/renewal", null, Map.of("type", "RENEW", "requestId", request.requestId(),
                "serial", request.serial(), "csr", request.csr(), "signature", request.signature())));
    }

    /** A phone's P-256 public key, as the borrower app sends it. */
    private static String phoneKey() {
        return io.latchkey.protocol.key.HolderKeys.encode(io.latchkey.protocol.key.HolderKeys.publicOf(
                io.latchkey.protocol.key.HolderKeys.privateKey(new java.math.BigInteger(250, new java.security.SecureRandom()).add(java.math.BigInteger.ONE))));
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static Set<String> stateChangingRoutes(CloudApp app) {
        Set<String> routes = new TreeSet<>();
        for (UriRouteInfo<?, ?> route : app.context().getBean(Router.class).uriRoutes().toList()) {
            HttpMethod method = route.getHttpMethod();
            if (method == HttpMethod.GET || method == HttpMethod.HEAD || method == HttpMethod.OPTIONS
                    || route.getDeclaringType().isAnnotationPresent(Endpoint.class)) {
                continue;
            }
            routes.add(route.getHttpMethodName() + " " + route.getUriMatchTemplate().toString().replaceAll("\\{\\?[^}]*}", ""));
        }
        return routes;
    }

    /** A signed update bundle of tenant acme (docs/ota.md §1), signed with {@code key} as {@code upd-1}. */
    private static byte[] otaBundle(Path dir, java.security.KeyPair key) {
        try {
            Path release = java.nio.file.Files.createTempDirectory(dir, "release");
            java.nio.file.Files.writeString(release.resolve("device-agent.jar"), "agent");
            Path out = dir.resolve("bundle.zip");
            io.latchkey.agent.ota.UpdateBundle.build(release, out, "acme", "0.3.0", null, false, 1, Instant.now(), "upd-1",
                    key.getPrivate());
            return java.nio.file.Files.readAllBytes(out);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
