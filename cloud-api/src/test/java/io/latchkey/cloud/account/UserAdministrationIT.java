package io.latchkey.cloud.account;

import static io.latchkey.cloud.it.CloudApp.PASSWORD;
import static io.latchkey.cloud.it.CloudApp.expect;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.latchkey.cloud.it.CloudApp;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The operator's list of accounts (GET /users: no e-mail, no full name; filters; who may) and a tenant-admin setting
 * roles (PUT /users/{id}/roles: who may, the last tenant-admin kept, sessions ended when a role goes, audited).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class UserAdministrationIT {
    @TempDir
    static Path dataDir;
    CloudApp app;
    String admin;
    String adminId;
    String operator;
    String borrower;
    String bobId;

    @BeforeAll
    void start() {
        app = CloudApp.start(dataDir, Map.of());
        admin = app.tenantWithAdmin("acme");
        adminId = id(admin);
        operator = app.user("acme", admin, "olga@acme.test", "operator");
        expect(201, app.http.postJson("/t/acme/users", admin, Map.of("email", "bob.builder@acme.test",
                "name", "Bob Builder", "password", PASSWORD, "roles", List.of("borrower"))));
        borrower = app.token("acme", "bob.builder@acme.test");
        bobId = id(borrower);
        expect(200, app.http.patchJson("/t/acme/users/me", borrower, Map.of("phone", "+49 30 555 0101")));
        app.user("acme", admin, "ian@acme.test", "installer");
        app.tenantWithAdmin("beta");
    }

    @AfterAll
    void stop() {
        if (app != null) {
            app.close();
        }
    }

    @Test
    void userList_showsIdDisplayNameRolesAndState_andNoOtherPersonalData() {
        JsonNode page = expect(200, app.http.get("/t/acme/users", operator)).json();
        assertThat(page.path("total").asInt()).isEqualTo(page.path("items").size()).isGreaterThanOrEqualTo(4);
        JsonNode bob = find(page, bobId);
        assertThat(bob.path("displayName").asText()).isEqualTo("Bob B.");
        assertThat(bob.path("status").asText()).isEqualTo("ACTIVE");
        assertThat(bob.path("roles").toString()).isEqualTo("[\"borrower\"]");
        List<String> fields = new ArrayList<>();
        page.path("items").forEach(item -> item.fieldNames().forEachRemaining(fields::add));
        assertThat(fields).containsOnly("id", "displayName", "roles", "status");
        assertThat(page.toString()).doesNotContain("@acme.test", "Builder", "+49");
    }

    @Test
    void userList_filtersByRoleStateAndSearch_andPages() {
        assertThat(ids(expect(200, app.http.get("/t/acme/users?role=operator", admin)).json())).hasSize(1);
        assertThat(ids(expect(200, app.http.get("/t/acme/users?q=builder", operator)).json())).containsExactly(bobId);
        assertThat(ids(expect(200, app.http.get("/t/acme/users?q=Bob.Builder%40ACME.test", operator)).json()))
                .as("the whole e-mail finds the account").containsExactly(bobId);
        assertThat(ids(expect(200, app.http.get("/t/acme/users?q=bob.builder%40", operator)).json()))
                .as("a part of an e-mail finds nothing").isEmpty();
        assertThat(ids(expect(200, app.http.get("/t/acme/users?q=" + bobId.substring(0, 6), operator)).json())).contains(bobId);
        int total = expect(200, app.http.get("/t/acme/users", operator)).json().path("total").asInt();
        JsonNode page = expect(200, app.http.get("/t/acme/users?size=3&page=1", operator)).json();
        assertThat(page.path("items")).hasSize(Math.min(3, total - 3));
        assertThat(page.path("total").asInt()).isEqualTo(total);

        String eve = app.user("acme", admin, "eve@acme.test", "borrower");
        String eveId = id(eve);
        expect(204, app.http.postJson("/t/acme/users/" + eveId + "/lock", operator, Map.of()));
        assertThat(ids(expect(200, app.http.get("/t/acme/users?state=LOCKED_PERMANENTLY", operator)).json())).containsExactly(eveId);
        expect(204, app.http.delete("/t/acme/users/" + eveId, admin));
        assertThat(ids(expect(200, app.http.get("/t/acme/users?state=TERMINATED", operator)).json())).containsExactly(eveId);
        assertThat(ids(expect(200, app.http.get("/t/acme/users?state=ACTIVE", operator)).json())).doesNotContain(eveId).contains(bobId);
    }

    @Test
    void userList_refusesBadFilters_andCallersWhoAreNotOperators() {
        for (String bad : List.of("role=admin", "state=GONE", "page=-1", "size=0", "size=201", "page=x")) {
            expect(400, app.http.get("/t/acme/users?" + bad, operator));
        }
        expect(403, app.http.get("/t/acme/users", borrower));
        expect(401, app.http.get("/t/acme/users", null));
        expect(401, app.http.get("/t/beta/users", admin));
    }

    @Test
    void roles_setByATenantAdmin_areAuditedAndShown_andTakingOneAwayEndsTheSessions() {
        String carl = app.user("acme", admin, "carl@acme.test", "borrower");
        String carlId = id(carl);
        JsonNode changed = expect(200, app.http.putJson("/t/acme/users/" + carlId + "/roles", admin,
                Map.of("roles", List.of("owner", "borrower", "owner")))).json();
        assertThat(changed.path("roles").toString()).isEqualTo("[\"borrower\",\"owner\"]");
        expect(200, app.http.get("/t/acme/users/me", carl)); // nothing taken away: the token stays valid
        assertThat(expect(200, app.http.get("/t/acme/users/" + carlId, operator)).json().path("roles")).hasSize(2);

        expect(200, app.http.putJson("/t/acme/users/" + carlId + "/roles", admin, Map.of("roles", List.of("owner"))));
        expect(401, app.http.get("/t/acme/users/me", carl));
        String again = app.token("acme", "carl@acme.test");
        assertThat(expect(200, app.http.get("/t/acme/users/me", again)).json().path("roles").toString()).isEqualTo("[\"owner\"]");

        List<String> trail = new ArrayList<>();
        expect(200, app.http.get("/t/acme/audit?action=user.roles.change", admin)).json()
                .forEach(r -> trail.add(r.path("actor").asText() + " " + r.path("subject").asText() + " " + r.path("outcome").asText()));
        assertThat(trail).contains(adminId + " user/" + carlId + " roles=borrower,owner OK",
                adminId + " user/" + carlId + " roles=owner OK");
    }

    @Test
    void roles_areForTenantAdminsOnly_andRefuseBadInput_changingNothing() {
        String dan = app.user("acme", admin, "dan@acme.test", "borrower");
        String danId = id(dan);
        expect(403, app.http.putJson("/t/acme/users/" + danId + "/roles", operator, Map.of("roles", List.of("operator"))));
        expect(403, app.http.putJson("/t/acme/users/" + danId + "/roles", dan, Map.of("roles", List.of("tenant-admin"))));
        expect(401, app.http.putJson("/t/beta/users/" + danId + "/roles", admin, Map.of("roles", List.of("operator"))));
        expect(400, app.http.putJson("/t/acme/users/" + danId + "/roles", admin, Map.of("roles", List.of())));
        expect(400, app.http.putJson("/t/acme/users/" + danId + "/roles", admin, Map.of("roles", List.of("borrower", "root"))));
        expect(400, app.http.putJson("/t/acme/users/" + danId + "/roles", admin, Map.of()));
        expect(404, app.http.putJson("/t/acme/users/u-00000000000000000000/roles", admin, Map.of("roles", List.of("owner"))));
        assertThat(expect(200, app.http.get("/t/acme/users/me", dan)).json().path("roles").toString()).isEqualTo("[\"borrower\"]");

        expect(204, app.http.delete("/t/acme/users/" + danId, admin));
        expect(409, app.http.putJson("/t/acme/users/" + danId + "/roles", admin, Map.of("roles", List.of("owner"))));
    }

    @Test
    void theLastUsableTenantAdmin_cannotGiveUpTheRole_butOneOfTwoCan() {
        String gammaAdmin = app.tenantWithAdmin("gamma");
        String gammaAdminId = id(gammaAdmin);
        expect(409, app.http.putJson("/t/gamma/users/" + gammaAdminId + "/roles", gammaAdmin, Map.of("roles", List.of("operator"))));
        assertThat(expect(200, app.http.get("/t/gamma/users/me", gammaAdmin)).json().path("roles").toString()).contains("tenant-admin");

        // a second tenant-admin who is locked for good does not count
        String second = app.user("gamma", gammaAdmin, "second@gamma.test", "tenant-admin");
        String secondId = id(second);
        expect(204, app.http.postJson("/t/gamma/users/" + secondId + "/lock", gammaAdmin, Map.of()));
        expect(409, app.http.putJson("/t/gamma/users/" + gammaAdminId + "/roles", gammaAdmin, Map.of("roles", List.of("operator"))));
        expect(204, app.http.postJson("/t/gamma/users/" + secondId + "/unlock", gammaAdmin, Map.of()));

        expect(200, app.http.putJson("/t/gamma/users/" + gammaAdminId + "/roles", gammaAdmin,
                Map.of("roles", List.of("operator", "tenant-admin"))));
        String fresh = app.token("gamma", "admin@gamma.test");
        expect(200, app.http.putJson("/t/gamma/users/" + gammaAdminId + "/roles", fresh, Map.of("roles", List.of("operator"))));
        expect(401, app.http.get("/t/gamma/users/me", fresh));
        String asOperator = app.token("gamma", "admin@gamma.test");
        expect(403, app.http.get("/t/gamma/audit", asOperator));
        String secondToken = app.token("gamma", "second@gamma.test");
        expect(409, app.http.putJson("/t/gamma/users/" + secondId + "/roles", secondToken, Map.of("roles", List.of("owner"))));
        List<String> outcomes = new ArrayList<>();
        expect(200, app.http.get("/t/gamma/audit?action=user.roles.change", secondToken)).json()
                .forEach(r -> outcomes.add(r.path("outcome").asText()));
        assertThat(outcomes).containsExactly("REFUSED", "REFUSED", "OK", "OK", "REFUSED");
    }

    private String id(String token) {
        return expect(200, app.http.get("/t/" + tenantOf(token) + "/users/me", token)).text("id");
    }

    private String tenantOf(String token) {
        String payload = new String(java.util.Base64.getUrlDecoder().decode(token.split("\\.")[1]));
        return payload.replaceAll(".*\"tenant\":\"([^\"]+)\".*", "$1");
    }

    private static JsonNode find(JsonNode page, String id) {
        for (JsonNode item : page.path("items")) {
            if (item.path("id").asText().equals(id)) {
                return item;
            }
        }
        throw new AssertionError(id + " not in " + page);
    }

    private static List<String> ids(JsonNode page) {
        List<String> ids = new ArrayList<>();
        page.path("items").forEach(i -> ids.add(i.path("id").asText()));
        return ids;
    }
}
