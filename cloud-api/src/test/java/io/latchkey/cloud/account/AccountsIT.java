package io.latchkey.cloud.account;

import static io.latchkey.cloud.it.CloudApp.PASSWORD;
import static io.latchkey.cloud.it.CloudApp.expect;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.latchkey.cloud.identity.SecurityCounters;
import io.latchkey.cloud.it.CloudApp;
import io.latchkey.cloud.it.DataDir;
import io.latchkey.cloud.it.Mailbox;
import io.latchkey.cloud.it.Http;
import io.latchkey.cloud.it.RecordingAuditLog;
import io.latchkey.cloud.audit.AuditEntry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/** Lockouts, operator locks, profiles and termination, over HTTP against the running backend. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AccountsIT {
    @TempDir
    static Path dataDir;
    CloudApp app;
    String tenantAdmin;
    String operator;

    @BeforeAll
    void start() {
        app = CloudApp.start(dataDir, Map.of("test.audit", "recording"));
        tenantAdmin = app.tenantWithAdmin("acme");
        operator = app.user("acme", tenantAdmin, "olga@acme.test", "operator");
    }

    @AfterAll
    void stop() {
        if (app != null) {
            app.close();
        }
    }

    @AfterEach
    void resetClock() {
        app.clock().reset();
    }

    @Test
    void fiveFailedSignIns_doNotLock_andASuccessStartsTheCountAgain() {
        String id = register("five@acme.test", "Five Tries");
        for (int i = 0; i < 5; i++) {
            assertInvalidGrant(signIn("five@acme.test", "not the password " + i));
        }
        expect(200, signIn("five@acme.test", PASSWORD));
        for (int i = 0; i < 5; i++) {
            assertInvalidGrant(signIn("five@acme.test", "not the password " + i));
        }
        expect(200, signIn("five@acme.test", PASSWORD));
        assertThat(audit(id)).extracting(AuditEntry::outcome).doesNotContain("REFUSED_LOCKED_TEMPORARILY");
    }

    @Test
    void moreThanFiveFailedSignIns_lockForFiveMinutes_evenTheRightPassword_withTheSameAnswer() {
        String id = register("lena@acme.test", "Lena Locked");
        SecurityCounters counters = app.context().getBean(SecurityCounters.class);
        long lockouts = counters.lockouts();
        Http.Reply wrong = null;
        for (int i = 0; i < 6; i++) {
            wrong = signIn("lena@acme.test", "not the password " + i);
            assertInvalidGrant(wrong);
        }
        Http.Reply rightButLocked = signIn("lena@acme.test", PASSWORD);
        assertInvalidGrant(rightButLocked);
        assertThat(rightButLocked.body()).isEqualTo(wrong.body());
        assertThat(counters.lockouts()).isEqualTo(lockouts + 1);
        assertThat(expect(200, app.http.get("/prometheus", null)).body())
                .contains("latchkey_account_lockouts_total{tenant=\"acme\"}")
                .contains("latchkey_signin_failed_total{tenant=\"acme\"}");
        assertThat(audit(id)).extracting(AuditEntry::action, AuditEntry::outcome).contains(
                org.assertj.core.groups.Tuple.tuple("user.sign-in", "REFUSED_WRONG_PASSWORD"),
                org.assertj.core.groups.Tuple.tuple("user.lockout", "LOCKED_5_MINUTES"),
                org.assertj.core.groups.Tuple.tuple("user.sign-in", "REFUSED_LOCKED_TEMPORARILY"));

        app.clock().advance(Duration.ofMinutes(4).plusSeconds(59));
        assertInvalidGrant(signIn("lena@acme.test", PASSWORD));
        app.clock().advance(Duration.ofSeconds(1));
        expect(200, signIn("lena@acme.test", PASSWORD));
    }

    @Test
    void anUnknownEmail_getsTheSameAnswerAsAWrongPassword() {
        register("known@acme.test", "Known User");
        Http.Reply unknown = signIn("nobody@acme.test", PASSWORD);
        Http.Reply wrong = signIn("known@acme.test", "not the password!");
        assertInvalidGrant(unknown);
        assertThat(unknown.body()).isEqualTo(wrong.body());
    }

    @Test
    void operator_locksPermanently_endingSessions_andUnlocks() {
        String id = register("pete@acme.test", "Pete Permanent");
        String token = app.token("acme", "pete@acme.test");
        expect(200, app.http.get("/t/acme/users/me", token));

        expect(204, app.http.postJson("/t/acme/users/" + id + "/lock", operator, Map.of()));
        assertThat(app.http.get("/t/acme/users/me", token).status()).isEqualTo(401);
        assertInvalidGrant(signIn("pete@acme.test", PASSWORD));
        app.clock().advance(Duration.ofMinutes(30));
        assertInvalidGrant(signIn("pete@acme.test", PASSWORD));
        app.clock().reset();
        assertThat(expect(200, app.http.get("/t/acme/users/" + id, operator)).text("status")).isEqualTo("LOCKED_PERMANENTLY");
        assertThat(audit(id)).extracting(AuditEntry::outcome).contains("REFUSED_LOCKED_PERMANENTLY", "LOCKED_PERMANENTLY");

        expect(204, app.http.postJson("/t/acme/users/" + id + "/unlock", operator, Map.of()));
        expect(200, signIn("pete@acme.test", PASSWORD));
        assertThat(app.http.get("/t/acme/users/me", token).status()).as("a token from before the lock stays dead")
                .isEqualTo(401);
    }

    @Test
    void locking_isForOperators_notForBorrowers_notOfOneself_andATenantAdminOnlyByATenantAdmin() {
        String id = register("vic@acme.test", "Vic Victim");
        String borrower = app.token("acme", "vic@acme.test");
        String other = register("otto@acme.test", "Otto Other");
        assertThat(app.http.postJson("/t/acme/users/" + other + "/lock", borrower, Map.of()).status()).isEqualTo(403);
        String adminId = expect(200, app.http.get("/t/acme/users/me", tenantAdmin)).text("id");
        assertThat(app.http.postJson("/t/acme/users/" + adminId + "/lock", operator, Map.of()).status()).isEqualTo(403);
        String operatorId = expect(200, app.http.get("/t/acme/users/me", operator)).text("id");
        assertThat(app.http.postJson("/t/acme/users/" + operatorId + "/lock", operator, Map.of()).status()).isEqualTo(403);
        assertThat(app.http.postJson("/t/acme/users/u-nobody/lock", operator, Map.of()).status()).isEqualTo(404);
        expect(200, signIn("vic@acme.test", PASSWORD));
        assertThat(id).isNotBlank();
    }

    @Test
    void profile_takesOptionalPii_normalised_andAnEmptyStringErasesIt() {
        register("pia@acme.test", "Pia Profile");
        String token = app.token("acme", "pia@acme.test");
        JsonNode me = expect(200, app.http.patchJson("/t/acme/users/me", token, Map.of(
                "phone", "+49 30 1234-567", "driverLicence", "b072 rt-9", "dateOfBirth", "1990-04-30"))).json();
        assertThat(me.path("phone").asText()).isEqualTo("+49301234567");
        assertThat(me.path("driverLicence").asText()).isEqualTo("B072RT9");
        assertThat(me.path("dateOfBirth").asText()).isEqualTo("1990-04-30");
        assertThat(me.path("name").asText()).isEqualTo("Pia Profile");

        assertThat(app.http.patchJson("/t/acme/users/me", token, Map.of("dateOfBirth", "2999-01-01")).status()).isEqualTo(400);
        assertThat(app.http.patchJson("/t/acme/users/me", token, Map.of("phone", "call me")).status()).isEqualTo(400);
        assertThat(app.http.patchJson("/t/acme/users/me", token, Map.of("name", " ")).status()).isEqualTo(400);

        JsonNode erased = expect(200, app.http.patchJson("/t/acme/users/me", token, Map.of("phone", ""))).json();
        assertThat(erased.has("phone")).isFalse();
        assertThat(erased.path("driverLicence").asText()).isEqualTo("B072RT9");
        assertThat(expect(200, app.http.get("/t/acme/users/me", token)).json().has("phone")).isFalse();
    }

    @Test
    void passwords_thatAreCommon_orTheEmail_orItsLocalPart_areRefused() {
        assertProblem(registration("common@acme.test", "1qaz2wsx3edc"), 400, "too common");
        assertProblem(registration("common@acme.test", "QWERTY123456"), 400, "too common");
        assertProblem(registration("alexander.hamilton@acme.test", "Alexander.Hamilton"), 400, "e-mail");
        assertProblem(registration("alexander.hamilton@acme.test", "alexander.hamilton@ACME.test"), 400, "e-mail");
        expect(201, registration("alexander.hamilton@acme.test", "a".repeat(64) + " no truncation"));
    }

    @Test
    void invisibleCharacters_inEmailsAndNames_areRefused_whereverUsersAreCreatedOrEdited() {
        String victim = register("victim@acme.test", "Vic Tim");
        for (String bad : List.of("\u200b", "\u0000", "\u202e", "\u001b[2J", "\u2028", "\ufeff")) {
            assertProblem(app.http.postJson("/t/acme/users", null, Map.of("email", "victim@acme.test" + bad,
                    "name", "Vic Tim", "password", PASSWORD)), 400, "email");
            assertProblem(app.http.postJson("/t/acme/users", null, Map.of("email", "other@acme.test",
                    "name", "Vic" + bad + "Tim", "password", PASSWORD)), 400, "name");
            assertProblem(app.http.postJson("/t/acme/users", tenantAdmin, Map.of("email", "staff@acme.test",
                    "name", "Op" + bad, "password", PASSWORD, "roles", List.of("operator"))), 400, "name");
            assertProblem(app.http.postJson("/platform/tenants/acme/admins", app.adminToken(), Map.of(
                    "email", "boss" + bad + "@acme.test", "name", "Boss", "password", PASSWORD)), 400, "email");
            assertProblem(app.http.patchJson("/t/acme/users/me", app.token("acme", "victim@acme.test"),
                    Map.of("name", "Vic Tim" + bad)), 400, "name");
            assertProblem(app.http.patchJson("/t/acme/users/me", app.token("acme", "victim@acme.test"),
                    Map.of("phone", "+49 30 555" + bad + "0101")), 400, "phone");
            assertProblem(app.http.patchJson("/t/acme/users/me", app.token("acme", "victim@acme.test"),
                    Map.of("driverLicence", "B072" + bad + "RT")), 400, "driverLicence");
            assertInvalidGrant(signIn("victim@acme.test" + bad, PASSWORD));
        }
        assertProblem(app.http.postJson("/t/acme/users", null, Map.of("email", "\uff56ictim@acme.test",
                "name", "Full Width", "password", PASSWORD)), 409, "already registered");
        expect(200, signIn("VICTIM@ACME.TEST", PASSWORD));
        assertThat(expect(200, app.http.get("/t/acme/users/me", app.token("acme", "victim@acme.test"))).text("name"))
                .isEqualTo("Vic Tim");
        assertThat(victim).isNotBlank();
    }

    @Test
    void passwords_ofWhiteSpaceOnly_areRefused_butSpacesInsideAPassphraseAreFine() {
        for (String blank : List.of(" ".repeat(12), "\t".repeat(12), " \u3000".repeat(8), "\u2003".repeat(20), "\u00a0".repeat(12),
                "\u200b".repeat(12))) {
            assertProblem(registration("blank@acme.test", blank), 400, "password");
        }
        expect(201, registration("blank@acme.test", "  correct horse battery  "));
    }

    @Test
    void termination_disablesTheAccount_erasesItsPiiInStorage_andKeepsTheRecord() {
        String email = "tess.terminated@acme.test";
        String id = register(email, "Tess Terminated");
        JsonNode tokens = app.tokenResponse("acme", email);
        String token = tokens.path("access_token").asText();
        expect(200, app.http.patchJson("/t/acme/users/me", token, Map.of(
                "phone", "+44 20 7946 0958", "driverLicence", "TESSX901234", "dateOfBirth", "1985-02-03")));
        assertThat(expect(200, app.http.get("/t/acme/users/me", token)).text("driverLicence")).isEqualTo("TESSX901234");
        expect(202, app.http.postJson("/t/acme/password-resets", null, Map.of("email", email)));
        assertThat(Mailbox.messagesTo(dataDir, "acme", email)).hasSize(1);
        for (String pii : List.of(email, "Tess Terminated", "442079460958", "TESSX901234", "1985-02-03")) {
            assertThat(DataDir.filesContaining(dataDir, pii)).as("sealed at rest: " + pii).isEmpty();
        }

        expect(204, app.http.delete("/t/acme/users/me", token));

        assertThat(app.http.get("/t/acme/users/me", token).status()).isEqualTo(401);
        assertInvalidGrant(signIn(email, PASSWORD));
        assertInvalidGrant(app.http.postForm("/t/acme/oauth/token",
                Map.of("grant_type", "refresh_token", "refresh_token", tokens.path("refresh_token").asText())));
        Path tenantDir = dataDir.resolve("tenants/acme");
        for (String pii : List.of(email, "Tess Terminated", "Tess", "442079460958", "TESSX901234", "1985-02-03")) {
            assertThat(DataDir.filesContaining(tenantDir, pii)).as(pii).isEmpty();
        }
        JsonNode record = expect(200, app.http.get("/t/acme/users/" + id, tenantAdmin)).json();
        assertThat(record.path("status").asText()).isEqualTo("TERMINATED");
        assertThat(record.path("name").asText()).isEqualTo("Former user");
        assertThat(record.has("email")).isFalse();
        assertThat(audit(id)).extracting(AuditEntry::action).contains("user.register", "user.terminate", "user.pii.shred");

        expect(201, registration(email, PASSWORD));
    }

    @Test
    void aTenantAdmin_terminatesAnAccountOnRequest_anOperatorCannot() {
        String id = register("tom@acme.test", "Tom Told");
        assertThat(app.http.delete("/t/acme/users/" + id, operator).status()).isEqualTo(403);
        expect(204, app.http.delete("/t/acme/users/" + id, tenantAdmin));
        expect(204, app.http.delete("/t/acme/users/" + id, tenantAdmin));
        assertInvalidGrant(signIn("tom@acme.test", PASSWORD));
        assertThat(DataDir.filesContaining(dataDir.resolve("tenants/acme"), "tom@acme.test")).isEmpty();
    }

    private String register(String email, String name) {
        return expect(201, app.http.postJson("/t/acme/users", null,
                Map.of("email", email, "name", name, "password", PASSWORD))).text("id");
    }

    private Http.Reply registration(String email, String password) {
        return app.http.postJson("/t/acme/users", null, Map.of("email", email, "name", "N", "password", password));
    }

    private Http.Reply signIn(String email, String password) {
        return app.http.postForm("/t/acme/oauth/token", Map.of("grant_type", "password", "username", email, "password", password));
    }

    private List<AuditEntry> audit(String userId) {
        return app.context().getBean(RecordingAuditLog.class).of("acme", "user/" + userId);
    }

    static void assertInvalidGrant(Http.Reply reply) {
        assertThat(reply.status()).as(reply.body()).isEqualTo(400);
        assertThat(reply.text("error")).isEqualTo("invalid_grant");
    }

    static void assertProblem(Http.Reply reply, int status, String detail) {
        assertThat(reply.status()).as(reply.body()).isEqualTo(status);
        assertThat(reply.text("detail")).containsIgnoringCase(detail);
    }
}
