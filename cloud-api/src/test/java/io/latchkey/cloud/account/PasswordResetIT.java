package io.latchkey.cloud.account;

import static io.latchkey.cloud.it.CloudApp.PASSWORD;
import static io.latchkey.cloud.it.CloudApp.expect;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.latchkey.cloud.it.CloudApp;
import io.latchkey.cloud.it.Http;
import io.latchkey.cloud.it.Mailbox;
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

/** Password reset per policy: the link, PII questions, the window, wrong answers, sessions ended. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PasswordResetIT {
    static final String NEW_PASSWORD = "a brand new passphrase for me";

    @TempDir
    static Path dataDir;
    CloudApp app;
    String operator;

    @BeforeAll
    void start() {
        app = CloudApp.start(dataDir, Map.of());
        String admin = app.tenantWithAdmin("acme");
        operator = app.user("acme", admin, "olga@acme.test", "operator");
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
    void start_alwaysAnswers202_andOnlyAnExistingAccountGetsALink() {
        register("erin@acme.test", "Erin Email");
        Http.Reply unknown = startReset("nobody@acme.test");
        Http.Reply known = startReset("ERIN@acme.test");
        assertThat(unknown.status()).isEqualTo(202);
        assertThat(known.status()).isEqualTo(202);
        assertThat(unknown.body()).isEqualTo(known.body());
        assertThat(Mailbox.messagesTo(dataDir, "acme", "nobody@acme.test")).isEmpty();
        assertThat(Mailbox.lastResetToken(dataDir, "acme", "erin@acme.test")).isPresent();
        assertThat(app.http.postJson("/t/acme/password-resets", null, Map.of()).status()).isEqualTo(400);
    }

    @Test
    void emailOnlyAccount_resetsWithTheLinkAlone_andEveryOldSessionEnds() {
        register("eve@acme.test", "Eve Only");
        JsonNode before = app.tokenResponse("acme", "eve@acme.test");
        String token = link("eve@acme.test");

        JsonNode state = expect(200, app.http.get("/t/acme/password-resets/" + token, null)).json();
        assertThat(state.path("challenges").size()).isZero();
        assertThat(state.path("readyForPassword").asBoolean()).isTrue();
        assertThat(app.http.postJson("/t/acme/password-resets/" + token, null, Map.of("newPassword", "1qaz2wsx3edc"))
                .status()).as("a common password is refused here too").isEqualTo(400);
        expect(204, app.http.postJson("/t/acme/password-resets/" + token, null, Map.of("newPassword", NEW_PASSWORD)));

        AccountsIT.assertInvalidGrant(signIn("eve@acme.test", PASSWORD));
        expect(200, signIn("eve@acme.test", NEW_PASSWORD));
        assertThat(app.http.get("/t/acme/users/me", before.path("access_token").asText()).status()).isEqualTo(401);
        AccountsIT.assertInvalidGrant(app.http.postForm("/t/acme/oauth/token",
                Map.of("grant_type", "refresh_token", "refresh_token", before.path("refresh_token").asText())));
        assertThat(app.http.postJson("/t/acme/password-resets/" + token, null, Map.of("newPassword", PASSWORD)).status())
                .as("the link works once").isEqualTo(404);
    }

    @Test
    void accountWithMorePii_mustConfirmEveryFieldTogether_beforeTheNewPassword() {
        register("pam@acme.test", "Pam Pii");
        String session = app.token("acme", "pam@acme.test");
        expect(200, app.http.patchJson("/t/acme/users/me", session,
                Map.of("phone", "+49 30 555 0101", "dateOfBirth", "1988-08-08")));
        String token = link("pam@acme.test");

        JsonNode state = expect(200, app.http.get("/t/acme/password-resets/" + token, null)).json();
        assertThat(state.path("challenges").toString()).isEqualTo("[\"phone\",\"dateOfBirth\"]");
        assertThat(state.path("readyForPassword").asBoolean()).isFalse();
        assertThat(app.http.postJson("/t/acme/password-resets/" + token, null, Map.of("newPassword", NEW_PASSWORD))
                .status()).isEqualTo(403);
        assertThat(answer(token, Map.of("driverLicence", "X1")).status()).as("not asked").isEqualTo(400);

        assertThat(answer(token, Map.of("phone", "+4930 5550101")).status()).as("one field alone").isEqualTo(400);
        assertThat(expect(200, app.http.get("/t/acme/password-resets/" + token, null)).json().path("attemptsLeft")
                .asInt()).as("an incomplete set is no guess").isEqualTo(4);
        JsonNode ready = expect(200, answer(token, Map.of("phone", "+4930 5550101", "dateOfBirth", "1988-08-08"))).json();
        assertThat(ready.path("readyForPassword").asBoolean()).isTrue();
        expect(204, app.http.postJson("/t/acme/password-resets/" + token, null, Map.of("newPassword", NEW_PASSWORD)));
        expect(200, signIn("pam@acme.test", NEW_PASSWORD));
    }

    @Test
    void aSetWithOneWrongAnswer_failsAsAWhole_withoutSayingWhichField() {
        register("oracle@acme.test", "Ora Cle");
        expect(200, app.http.patchJson("/t/acme/users/me", app.token("acme", "oracle@acme.test"),
                Map.of("phone", "+49 30 555 0102", "driverLicence", "ORA12345", "dateOfBirth", "1977-07-07")));
        String token = link("oracle@acme.test");
        JsonNode before = expect(200, app.http.get("/t/acme/password-resets/" + token, null)).json();
        Map<String, Integer> storedBefore = io.latchkey.cloud.it.DataDir.snapshot(dataDir.resolve("tenants/acme/docs/password-resets"));

        Http.Reply phoneRight = answer(token, Map.of("phone", "+49 30 555 0102", "driverLicence", "WRONG1", "dateOfBirth", "1970-01-01"));
        Http.Reply allWrong = answer(token, Map.of("phone", "+49 30 555 9999", "driverLicence", "WRONG2", "dateOfBirth", "1970-01-02"));

        assertThat(phoneRight.status()).isEqualTo(400);
        assertThat(allWrong.status()).isEqualTo(400);
        assertThat(phoneRight.text("detail")).contains("3 wrong answer(s) left").doesNotContain("phone", "driverLicence", "dateOfBirth");
        assertThat(allWrong.text("detail")).as("three wrong fields are one failure").contains("2 wrong answer(s) left");
        JsonNode after = expect(200, app.http.get("/t/acme/password-resets/" + token, null)).json();
        assertThat(after.path("challenges")).isEqualTo(before.path("challenges"));
        assertThat(io.latchkey.cloud.it.DataDir.snapshot(dataDir.resolve("tenants/acme/docs/password-resets")))
                .as("the stored reset records nothing of a failed set").isEqualTo(storedBefore);
    }

    @Test
    void parallelWrongAnswerSets_areComparedAtMostFourTimes_beforeTheLock() throws Exception {
        String id = register("para@acme.test", "Para Llel");
        expect(200, app.http.patchJson("/t/acme/users/me", app.token("acme", "para@acme.test"),
                Map.of("driverLicence", "PARA12345")));
        String token = link("para@acme.test");
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(12);
        List<Integer> statuses = new java.util.ArrayList<>();
        try {
            java.util.concurrent.CountDownLatch go = new java.util.concurrent.CountDownLatch(1);
            List<java.util.concurrent.Future<Integer>> calls = new java.util.ArrayList<>();
            for (int i = 0; i < 12; i++) {
                String guess = "GUESS" + i;
                calls.add(pool.submit(() -> {
                    go.await();
                    return answer(token, Map.of("driverLicence", guess)).status();
                }));
            }
            go.countDown();
            for (java.util.concurrent.Future<Integer> call : calls) {
                statuses.add(call.get());
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(statuses).doesNotContain(200).allMatch(s -> s == 400 || s == 403 || s == 409);
        String tenantAdmin = app.token("acme", "admin@acme.test");
        long compared = 0;
        for (JsonNode record : expect(200, app.http.get("/t/acme/audit?limit=1000", tenantAdmin)).json()) {
            if (record.path("action").asText().equals("user.password-reset.answer")
                    && record.path("subject").asText().equals("user/" + id)) {
                compared++;
            }
        }
        assertThat(compared).as("wrong sets compared").isEqualTo(4);
        assertThat(expect(200, app.http.get("/t/acme/users/" + id, operator)).text("status")).isEqualTo("LOCKED_PERMANENTLY");
    }

    @Test
    void fourWrongAnswers_lockTheAccountForGood_evenAcrossNewResets() {
        String id = register("wes@acme.test", "Wes Wrong");
        expect(200, app.http.patchJson("/t/acme/users/me", app.token("acme", "wes@acme.test"),
                Map.of("driverLicence", "WES12345")));
        String first = link("wes@acme.test");
        assertThat(answer(first, Map.of("driverLicence", "WES00000")).text("detail")).contains("3 wrong answer(s) left");
        assertThat(answer(first, Map.of("driverLicence", "nope")).text("detail")).contains("2 wrong answer(s) left");

        String second = link("wes@acme.test");
        assertThat(expect(200, app.http.get("/t/acme/password-resets/" + second, null)).json().path("attemptsLeft").asInt())
                .isEqualTo(2);
        assertThat(answer(second, Map.of("driverLicence", "WES99999")).status()).isEqualTo(400);
        Http.Reply locked = answer(second, Map.of("driverLicence", "WES12345X"));
        assertThat(locked.status()).isEqualTo(403);
        assertThat(locked.text("detail")).contains("locked");

        assertThat(answer(second, Map.of("driverLicence", "WES12345")).status()).as("even the right answer").isEqualTo(403);
        AccountsIT.assertInvalidGrant(signIn("wes@acme.test", PASSWORD));
        int messages = Mailbox.messagesTo(dataDir, "acme", "wes@acme.test").size();
        expect(202, startReset("wes@acme.test"));
        assertThat(Mailbox.messagesTo(dataDir, "acme", "wes@acme.test")).as("no link for a locked account").hasSize(messages);
        assertThat(expect(200, app.http.get("/t/acme/users/" + id, operator)).text("status")).isEqualTo("LOCKED_PERMANENTLY");

        expect(204, app.http.postJson("/t/acme/users/" + id + "/unlock", operator, Map.of()));
        expect(200, signIn("wes@acme.test", PASSWORD));
    }

    @Test
    void theWholeReset_expiresAfterTheWindow_fromItsStart() {
        register("tim@acme.test", "Tim Timeout");
        expect(200, app.http.patchJson("/t/acme/users/me", app.token("acme", "tim@acme.test"), Map.of("phone", "+1 555 0100")));
        String token = link("tim@acme.test");
        app.clock().advance(Duration.ofMinutes(29));
        expect(200, answer(token, Map.of("phone", "+15550100")));
        app.clock().advance(Duration.ofMinutes(1));
        assertThat(app.http.get("/t/acme/password-resets/" + token, null).status()).isEqualTo(404);
        assertThat(app.http.postJson("/t/acme/password-resets/" + token, null, Map.of("newPassword", NEW_PASSWORD)).status())
                .isEqualTo(404);
    }

    @Test
    void aForgedOrUnknownToken_is404() {
        assertThat(app.http.get("/t/acme/password-resets/" + "A".repeat(43), null).status()).isEqualTo(404);
        assertThat(app.http.postJson("/t/acme/password-resets/short/answers", null, Map.of("phone", "1")).status())
                .isEqualTo(404);
    }

    @Test
    void termination_afterAReset_leavesNoPiiInAnyFile_withTheRealAuditTrail() {
        String email = "rita.reset@acme.test";
        register(email, "Rita Resetter");
        String session = app.token("acme", email);
        expect(200, app.http.patchJson("/t/acme/users/me", session, Map.of("phone", "+49 89 7654321", "driverLicence", "RITA7777")));
        link(email);
        expect(204, app.http.delete("/t/acme/users/me", session));
        for (String pii : java.util.List.of(email, "Rita Resetter", "+49897654321", "RITA7777")) {
            assertThat(io.latchkey.cloud.it.DataDir.filesContaining(dataDir.resolve("tenants/acme"), pii)).as(pii).isEmpty();
        }
        assertThat(io.latchkey.cloud.it.DataDir.filesContaining(dataDir.resolve("tenants/acme"), "user.terminate"))
                .as("the audit trail keeps the termination").isNotEmpty();
    }

    private String register(String email, String name) {
        return expect(201, app.http.postJson("/t/acme/users", null,
                Map.of("email", email, "name", name, "password", PASSWORD))).text("id");
    }

    private Http.Reply startReset(String email) {
        return app.http.postJson("/t/acme/password-resets", null, Map.of("email", email));
    }

    private String link(String email) {
        expect(202, startReset(email));
        return Mailbox.lastResetToken(dataDir, "acme", email).orElseThrow();
    }

    private Http.Reply answer(String token, Map<String, String> answers) {
        return app.http.postJson("/t/acme/password-resets/" + token + "/answers", null, answers);
    }

    private Http.Reply signIn(String email, String password) {
        return app.http.postForm("/t/acme/oauth/token", Map.of("grant_type", "password", "username", email, "password", password));
    }
}
