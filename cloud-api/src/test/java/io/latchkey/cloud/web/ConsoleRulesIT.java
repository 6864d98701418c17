package io.latchkey.cloud.web;

import static io.latchkey.cloud.it.CloudApp.PASSWORD;
import static io.latchkey.cloud.it.CloudApp.expect;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.latchkey.cloud.event.Events;
import io.latchkey.cloud.it.Browser;
import io.latchkey.cloud.it.CloudApp;
import io.latchkey.protocol.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The console's own calls, made the way the console makes them (a browser session's cookie and its CSRF token, no
 * access token), by a borrower, an operator and another tenant's admin: each is answered exactly as the API's tenant,
 * role and PII rules say (401 without a session of this tenant, 403 a role that may not, 404 another tenant's ids),
 * and a session that ended (idle, logged out elsewhere) is 401 on every one of them.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ConsoleRulesIT {
    static final String CONSOLE = "latchkey-console";

    @TempDir
    static Path dataDir;
    CloudApp app;
    String admin;
    String adminId;
    String bobId;
    String carlId;
    String eventId;
    Session borrower;
    Session operator;
    Session foreignAdmin;

    /** A signed-in browser and its session's CSRF token, as the console holds them. */
    record Session(Browser browser, String csrf) {
        int status(String method, String path, String json) {
            return browser.call(method, path, json, method.equals("GET") ? Map.of() : Map.of("X-CSRF-Token", csrf)).status();
        }

        JsonNode json(String path) {
            Browser.Page page = browser.call("GET", path, null, Map.of());
            assertThat(page.status()).as(path).isEqualTo(200);
            return read(page.body());
        }
    }

    @BeforeAll
    void start() {
        app = CloudApp.start(dataDir, Map.of("latchkey.commands.timeout", "1s"));
        admin = app.tenantWithAdmin("acme");
        adminId = expect(200, app.http.get("/t/acme/users/me", admin)).text("id");
        String op = app.user("acme", admin, "olga@acme.test", "operator");
        String bob = app.user("acme", admin, "bob@acme.test", "borrower");
        bobId = expect(200, app.http.get("/t/acme/users/me", bob)).text("id");
        expect(200, app.http.patchJson("/t/acme/users/me", bob, Map.of("phone", "+49 30 555 0101")));
        carlId = expect(200, app.http.get("/t/acme/users/me", app.user("acme", admin, "carl@acme.test", "borrower"))).text("id");
        app.car("acme", op, "car-1", "dev-001");
        eventId = app.context().getBean(Events.class).raise("acme", "car-1", "TAMPER", Map.of()).id();
        app.tenantWithAdmin("beta");
        borrower = session("acme", "bob@acme.test", "latchkey-app");
        operator = session("acme", "olga@acme.test", CONSOLE);
        foreignAdmin = session("beta", "admin@beta.test", CONSOLE);
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

    /** Every route the console calls, with what each of the three may get. */
    @Test
    void theConsolesCalls_answerEachCallerAsTheApiRulesSay() {
        String user = "/t/acme/users/" + bobId;
        String tenantAdmin = "/t/acme/users/" + adminId;
        List<Object[]> calls = List.of(
                // method, path, body, borrower, operator, another tenant's admin
                new Object[] {"GET", "/t/acme/fleet", null, 403, 200, 401},
                new Object[] {"GET", "/t/acme/fleet/stream", null, 403, null, 401},
                new Object[] {"GET", "/t/acme/events?alert=true&acknowledged=false", null, 403, 200, 401},
                new Object[] {"POST", "/t/acme/events/" + eventId + "/ack", "{}", 403, 200, 401},
                new Object[] {"GET", "/t/acme/users", null, 403, 200, 401},
                new Object[] {"GET", user, null, 200, 200, 401},
                new Object[] {"PUT", user + "/roles", "{\"roles\":[\"owner\"]}", 403, 403, 401},
                new Object[] {"POST", tenantAdmin + "/lock", "{}", 403, 403, 401},
                new Object[] {"DELETE", user, null, 403, 403, 401},
                new Object[] {"POST", "/t/acme/users/" + carlId + "/lock", "{}", 403, 204, 401},
                new Object[] {"POST", "/t/acme/users/" + carlId + "/unlock", "{}", 403, 204, 401},
                new Object[] {"GET", "/t/acme/audit?limit=50", null, 403, 403, 401},
                new Object[] {"GET", "/t/acme/audit/verify", null, 403, 403, 401},
                new Object[] {"GET", "/t/acme/policy", null, 403, 200, 401},
                new Object[] {"PUT", "/t/acme/policy", "{\"immobiliseWhenIdle\":true}", 403, 403, 401},
                new Object[] {"POST", "/t/acme/keys/rotate", "{\"key\":\"command\"}", 403, 403, 401},
                new Object[] {"POST", "/t/acme/data-access", "{\"days\":1}", 403, 403, 401},
                new Object[] {"POST", "/t/acme/cars/car-1/commands", "{\"type\":\"IMMOBILISE\"}", 403, null, 401},
                new Object[] {"POST", "/t/acme/cars/car-9/commands", "{\"type\":\"LOCK\"}", 404, 404, 401});
        List<String> wrong = new ArrayList<>();
        for (Object[] c : calls) {
            Session[] who = {borrower, operator, foreignAdmin};
            for (int i = 0; i < 3; i++) {
                Integer expected = (Integer) c[3 + i];
                if (expected == null) {
                    continue;
                }
                int got = who[i].status((String) c[0], (String) c[1], (String) c[2]);
                if (got != expected) {
                    wrong.add(List.of("borrower", "operator", "beta admin").get(i) + " " + c[0] + " " + c[1] + " -> " + got
                            + ", expected " + expected);
                }
            }
        }
        assertThat(wrong).isEmpty();
        JsonNode trail = expect(200, app.http.get("/t/acme/audit?limit=1000", admin)).json();
        List<String> actions = new ArrayList<>();
        trail.forEach(r -> actions.add(r.path("action").asText()));
        assertThat(actions).doesNotContain("keys.rotate", "data-access.grant", "tenant.policy.change", "user.roles.change", "user.terminate");
    }

    @Test
    void anotherTenantsIds_areUnknown_inTheCallersOwnTenant() {
        assertThat(foreignAdmin.status("GET", "/t/beta/users/" + bobId, null)).isEqualTo(404);
        assertThat(foreignAdmin.status("POST", "/t/beta/users/" + bobId + "/lock", "{}")).isEqualTo(404);
        assertThat(foreignAdmin.status("PUT", "/t/beta/users/" + bobId + "/roles", "{\"roles\":[\"owner\"]}")).isEqualTo(404);
        assertThat(foreignAdmin.status("POST", "/t/beta/events/" + eventId + "/ack", "{}")).isEqualTo(404);
        assertThat(foreignAdmin.status("POST", "/t/beta/cars/car-1/commands", "{\"type\":\"LOCK\"}")).isEqualTo(404);
        assertThat(foreignAdmin.json("/t/beta/users").path("items").toString()).doesNotContain(bobId);
        assertThat(foreignAdmin.json("/t/beta/events?alert=true").path("events")).isEmpty();
    }

    @Test
    void profiles_showEachCallerOnlyThePiiThePolicyAllows() {
        JsonNode seenByOperator = operator.json("/t/acme/users/" + bobId);
        assertThat(seenByOperator.path("email").asText()).isEqualTo("bob@acme.test");
        assertThat(seenByOperator.has("phone")).isFalse();
        JsonNode seenByBorrower = borrower.json("/t/acme/users/" + adminId);
        assertThat(seenByBorrower.has("email")).isFalse();
        assertThat(seenByBorrower.has("name")).isFalse();
        assertThat(operator.json("/t/acme/users").toString()).doesNotContain("bob@acme.test", "+49");
    }

    @Test
    void stateChangingCalls_withoutTheCsrfToken_areNotTheSessions() {
        Browser browser = operator.browser();
        assertThat(browser.call("POST", "/t/acme/users/" + bobId + "/lock", "{}", Map.of()).status()).isEqualTo(401);
        assertThat(browser.call("POST", "/t/acme/events/" + eventId + "/ack", "{}", Map.of("X-CSRF-Token", "forged")).status())
                .isEqualTo(401);
        assertThat(operator.json("/t/acme/users/" + bobId).path("status").asText()).isEqualTo("ACTIVE");
    }

    @Test
    void anEndedSession_is401_onEveryCallOfTheConsole() {
        Session idle = session("acme", "admin@acme.test", CONSOLE);
        assertThat(idle.status("GET", "/t/acme/audit/verify", null)).isEqualTo(200);
        app.clock().advance(Duration.ofMinutes(31));
        for (String path : List.of("/t/acme/session", "/t/acme/fleet", "/t/acme/events", "/t/acme/users", "/t/acme/audit",
                "/t/acme/policy")) {
            assertThat(idle.status("GET", path, null)).as(path).isEqualTo(401);
        }
        assertThat(idle.status("POST", "/t/acme/keys/rotate", "{\"key\":\"command\"}")).isEqualTo(401);
        app.clock().reset();

        // logged out in one tab: a copy of the cookie (another tab, a stolen copy) is worth nothing afterwards
        Session first = session("acme", "admin@acme.test", CONSOLE);
        Browser copy = app.browser();
        copy.cookies().putAll(first.browser().cookies());
        Session second = new Session(copy, first.csrf());
        assertThat(second.status("GET", "/t/acme/users", null)).isEqualTo(200);
        assertThat(first.status("POST", "/t/acme/session/logout", null)).isEqualTo(204);
        assertThat(second.status("GET", "/t/acme/users", null)).isEqualTo(401);
        assertThat(second.status("PUT", "/t/acme/users/" + bobId + "/roles", "{\"roles\":[\"owner\"]}")).isEqualTo(401);
        assertThat(operator.json("/t/acme/users/" + bobId).path("roles").toString()).isEqualTo("[\"borrower\"]");
    }

    private Session session(String tenant, String email, String client) {
        Browser browser = app.signedIn(tenant, email, PASSWORD, client);
        Browser.Page page = browser.call("GET", "/t/" + tenant + "/session", null, Map.of());
        return new Session(browser, read(page.body()).path("csrfToken").asText());
    }

    private static JsonNode read(String body) {
        try {
            return Json.mapper().readTree(body);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
