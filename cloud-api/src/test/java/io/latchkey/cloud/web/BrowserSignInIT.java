package io.latchkey.cloud.web;

import static io.latchkey.cloud.it.CloudApp.PASSWORD;
import static io.latchkey.cloud.it.CloudApp.expect;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.latchkey.cloud.identity.Pkce;
import io.latchkey.cloud.it.Browser;
import io.latchkey.cloud.it.CloudApp;
import io.latchkey.cloud.it.Http;
import io.latchkey.cloud.it.Mailbox;
import io.latchkey.cloud.it.RecordingAuditLog;
import io.latchkey.protocol.Json;
import java.io.IOException;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Signing in the browser way, end to end over real HTTP with a client that keeps cookies and follows redirects:
 * the authorization code flow with PKCE at the tenant's issuer, the backend-for-frontend's session cookie, CSRF,
 * the headers of every page, the lockout through the form, logout, termination, tenants, discovery.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BrowserSignInIT {
    static final String SPA = "spa";
    static final String SPA_REDIRECT = "http://127.0.0.1:9/spa/callback";
    static final String CONSOLE = "latchkey-console";

    @TempDir
    static Path dataDir;
    CloudApp app;
    String admin;

    @BeforeAll
    void start() {
        app = CloudApp.start(dataDir, Map.of("test.audit", "recording",
                "latchkey.oauth.clients." + SPA + ".redirect-uris", List.of(SPA_REDIRECT)));
        admin = app.tenantWithAdmin("acme");
        app.tenantWithAdmin("beta");
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

    @Test
    void codeFlow_signsIn_andTheBrowserHoldsOnlyAnHttpOnlySessionCookie() {
        String email = newUser("borrower");
        Browser browser = app.browser();
        Browser.Page signInPage = browser.get("/t/acme/session/sign-in?client=" + CONSOLE);
        assertThat(signInPage.status()).isEqualTo(200);
        assertThat(signInPage.uri().getPath()).isEqualTo("/t/acme/oauth/authorize");
        Map<String, String> query = query(signInPage.uri());
        assertThat(query).containsEntry("client_id", CONSOLE).containsEntry("response_type", "code")
                .containsEntry("code_challenge_method", "S256").containsKeys("state", "code_challenge")
                .containsEntry("redirect_uri", app.baseUri() + "/t/acme/session/callback");
        assertThat(signInPage.body()).contains("<label for=\"email\">", "<label for=\"password\">", "type=\"submit\"");

        Map<String, String> form = new LinkedHashMap<>(signInPage.hiddenFields());
        form.put("email", email);
        form.put("password", PASSWORD);
        Browser.Page redirected = browser.postOnly("/t/acme/oauth/authorize", form);
        assertThat(redirected.status()).isEqualTo(303);
        Map<String, String> callback = query(URI.create(redirected.header("Location")));
        assertThat(callback).containsKeys("code").containsEntry("state", query.get("state"))
                .containsEntry("iss", app.baseUri() + "/t/acme");

        Browser.Page landed = browser.getOnly(redirected.header("Location"));
        assertThat(landed.status()).isEqualTo(303);
        assertThat(landed.header("Location")).isEqualTo(app.baseUri() + "/t/acme/console/");
        String sessionCookie = browser.setCookies.stream().filter(c -> c.startsWith("__Host-lk-session-acme=")).findFirst().orElseThrow();
        assertThat(sessionCookie).contains("; Path=/", "; HttpOnly", "; Secure", "; SameSite=Strict").doesNotContain("Domain=");
        assertThat(browser.setCookies).allSatisfy(c -> assertThat(c).startsWith("__Host-").contains("HttpOnly", "Secure", "Path=/"));
        assertThat(browser.cookies()).doesNotContainKey("__Host-lk-signin-acme");
        assertThat(browser.urls).noneMatch(u -> u.contains("access_token") || u.contains("refresh_token") || u.contains("token="));

        JsonNode me = json(browser.call("GET", "/t/acme/users/me", null, Map.of()));
        assertThat(me.path("email").asText()).isEqualTo(email);
        JsonNode session = json(browser.call("GET", "/t/acme/session", null, Map.of()));
        assertThat(session.path("userId").asText()).isEqualTo(me.path("id").asText());
        assertThat(session.path("roles").toString()).contains("borrower");
        assertThat(session.path("csrfToken").asText()).hasSizeGreaterThan(40);
        assertThat(session.toString()).doesNotContain("access_token");
    }

    @Test
    void sessionCookie_obeysTheApisRoleRules() {
        Browser borrower = app.signedIn("acme", newUser("borrower"), PASSWORD, "latchkey-app");
        assertThat(borrower.call("GET", "/t/acme/audit/verify", null, Map.of()).status()).isEqualTo(403);
        Browser tenantAdmin = app.signedIn("acme", "admin@acme.test", PASSWORD, CONSOLE);
        assertThat(tenantAdmin.call("GET", "/t/acme/audit/verify", null, Map.of()).status()).isEqualTo(200);
    }

    @Test
    void stateChangingCalls_needTheCsrfHeader_andThisOrigin() {
        Browser browser = app.signedIn("acme", newUser("borrower"), PASSWORD, CONSOLE);
        String csrf = json(browser.call("GET", "/t/acme/session", null, Map.of())).path("csrfToken").asText();
        String change = "{\"phone\":\"+49 30 555 0199\"}";

        assertThat(browser.call("PATCH", "/t/acme/users/me", change, Map.of()).status()).as("no header").isEqualTo(401);
        assertThat(browser.call("PATCH", "/t/acme/users/me", change, Map.of("X-CSRF-Token", "x" + csrf)).status())
                .as("wrong token").isEqualTo(401);
        // another site: on a loopback server Micronaut's own CORS guard already answers 403; elsewhere the session
        // does not count without its origin (401). Another loopback origin passes that guard and meets ours.
        browser.origin("https://evil.example");
        assertThat(browser.call("PATCH", "/t/acme/users/me", change, Map.of("X-CSRF-Token", csrf)).status())
                .as("another site").isIn(401, 403);
        browser.origin("http://127.0.0.1:9");
        assertThat(browser.call("PATCH", "/t/acme/users/me", change, Map.of("X-CSRF-Token", csrf)).status())
                .as("another origin").isEqualTo(401);
        assertThat(browser.call("POST", "/t/acme/session/logout", null, Map.of("X-CSRF-Token", csrf)).status())
                .as("logout from another origin").isEqualTo(401);
        assertThat(json(browser.call("GET", "/t/acme/users/me", null, Map.of())).has("phone")).as("nothing changed").isFalse();

        browser.origin(app.baseUri().toString());
        Browser.Page changed = browser.call("PATCH", "/t/acme/users/me", change, Map.of("X-CSRF-Token", csrf));
        assertThat(changed.status()).isEqualTo(200);
        assertThat(json(changed).path("phone").asText()).isEqualTo("+49305550199");
    }

    @Test
    void signInForm_withoutItsCsrfToken_orFromAnotherSite_isRefused_andSignsNobodyIn() {
        String email = newUser("borrower");
        Browser browser = app.browser();
        Map<String, String> form = new LinkedHashMap<>(browser.get("/t/acme/session/sign-in?client=" + CONSOLE).hiddenFields());
        form.put("email", email);
        form.put("password", PASSWORD);

        Map<String, String> withoutToken = new LinkedHashMap<>(form);
        withoutToken.remove("csrf");
        assertThat(browser.postOnly("/t/acme/oauth/authorize", withoutToken).status()).isEqualTo(403);
        Map<String, String> otherToken = new LinkedHashMap<>(form);
        otherToken.put("csrf", "A".repeat(43));
        assertThat(browser.postOnly("/t/acme/oauth/authorize", otherToken).status()).isEqualTo(403);
        Browser.Page crossSite = browser.origin("https://evil.example").postOnly("/t/acme/oauth/authorize", form);
        assertThat(crossSite.status()).isEqualTo(403);
        assertThat(crossSite.header("Location")).isEmpty();
        Browser.Page otherOrigin = browser.origin("http://127.0.0.1:9").postOnly("/t/acme/oauth/authorize", form);
        assertThat(otherOrigin.status()).isEqualTo(403);
        assertThat(otherOrigin.body()).contains("sent from another site");
        // an attacker's own browser has no cookie of the victim's: the same form from a fresh browser
        Browser attacker = app.browser();
        assertThat(attacker.postOnly("/t/acme/oauth/authorize", form).status()).isEqualTo(403);

        assertThat(browser.origin(app.baseUri().toString()).postOnly("/t/acme/oauth/authorize", form).status()).isEqualTo(303);
    }

    @Test
    void everyPage_carriesAStrictContentSecurityPolicy_andRefusesFraming() {
        Browser browser = app.browser();
        List<Browser.Page> pages = List.of(
                browser.get("/t/acme/session/sign-in?client=" + CONSOLE),
                browser.get("/t/acme/oauth/authorize?client_id=nobody&redirect_uri=x"),
                browser.get("/t/acme/reset-password"),
                browser.get("/t/acme/reset-password/" + "A".repeat(43)),
                browser.get("/t/acme/session/callback?code=x&state=y"));
        for (Browser.Page page : pages) {
            assertThat(page.header("Content-Type")).as(page.uri().toString()).startsWith("text/html");
            String csp = page.header("Content-Security-Policy");
            assertThat(csp).as(page.uri().toString()).contains("default-src 'none'", "frame-ancestors 'none'", "base-uri 'none'")
                    .doesNotContain("unsafe-inline", "unsafe-eval", "script-src", "*");
            assertThat(page.header("X-Frame-Options")).isEqualTo("DENY");
            assertThat(page.header("Referrer-Policy")).isEqualTo("same-origin");
            assertThat(page.header("X-Content-Type-Options")).isEqualTo("nosniff");
            assertThat(page.header("Cache-Control")).isEqualTo("no-store");
            assertThat(page.body()).doesNotContain("<script");
        }
        assertThat(app.http.get("/t/acme/.well-known/jwks.json", null).status()).isEqualTo(200);
    }

    @Test
    void lockout_throughTheForm_isTheApis() {
        String email = newUser("borrower");
        Browser browser = app.browser();
        Map<String, String> form = new LinkedHashMap<>(browser.get("/t/acme/session/sign-in?client=" + CONSOLE).hiddenFields());
        form.put("email", email);
        form.put("password", "wrong password, attempt");
        for (int i = 0; i < 3; i++) {
            Browser.Page refused = browser.postOnly("/t/acme/oauth/authorize", form);
            assertThat(refused.status()).isEqualTo(400);
            assertThat(refused.body()).contains(SignInPageController.WRONG.substring(0, 20), "role=\"alert\"");
        }
        for (int i = 0; i < 3; i++) {
            assertThat(app.http.postForm("/t/acme/oauth/token", Map.of("grant_type", "password", "username", email,
                    "password", "wrong password, attempt")).status()).isEqualTo(400);
        }
        // six failures, on either door: the right password is refused on both for five minutes
        form.put("password", PASSWORD);
        assertThat(browser.postOnly("/t/acme/oauth/authorize", form).status()).isEqualTo(400);
        assertThat(app.http.postForm("/t/acme/oauth/token", Map.of("grant_type", "password", "username", email,
                "password", PASSWORD)).text("error")).isEqualTo("invalid_grant");
        RecordingAuditLog audit = app.context().getBean(RecordingAuditLog.class);
        assertThat(audit.all()).anyMatch(r -> r.entry().action().equals("user.lockout"));

        app.clock().advance(Duration.ofMinutes(6));
        assertThat(browser.postOnly("/t/acme/oauth/authorize", form).status()).isEqualTo(303);
    }

    @Test
    void logout_endsTheSessionOnTheServer_soACopiedCookieIsWorthNothing() {
        Browser browser = app.signedIn("acme", newUser("borrower"), PASSWORD, CONSOLE);
        String cookie = browser.cookie("__Host-lk-session-acme");
        String csrf = json(browser.call("GET", "/t/acme/session", null, Map.of())).path("csrfToken").asText();

        Browser.Page out = browser.call("POST", "/t/acme/session/logout", null, Map.of("X-CSRF-Token", csrf));
        assertThat(out.status()).isEqualTo(204);
        assertThat(out.headers().allValues("Set-Cookie")).anyMatch(c -> c.startsWith("__Host-lk-session-acme=;") && c.contains("Max-Age=0"));
        assertThat(browser.cookies()).doesNotContainKey("__Host-lk-session-acme");

        Browser copy = app.browser();
        copy.cookies().put("__Host-lk-session-acme", cookie);
        assertThat(copy.call("GET", "/t/acme/users/me", null, Map.of()).status()).isEqualTo(401);
        RecordingAuditLog audit = app.context().getBean(RecordingAuditLog.class);
        assertThat(audit.all()).anyMatch(r -> r.entry().action().equals("user.sign-out"))
                .anyMatch(r -> r.entry().action().equals("user.session.start"));
    }

    @Test
    void terminatedLockedOrResetAccounts_loseTheirBrowserSessions() {
        String terminated = newUser("borrower");
        Browser one = app.signedIn("acme", terminated, PASSWORD, "latchkey-app");
        expect(204, app.http.delete("/t/acme/users/" + idOf(terminated), admin));
        assertThat(one.call("GET", "/t/acme/users/me", null, Map.of()).status()).isEqualTo(401);

        String locked = newUser("borrower");
        Browser two = app.signedIn("acme", locked, PASSWORD, "latchkey-app");
        String operator = app.user("acme", admin, "op-" + System.nanoTime() + "@acme.test", "operator");
        expect(204, app.http.postJson("/t/acme/users/" + idOf(locked) + "/lock", operator, Map.of()));
        assertThat(two.call("GET", "/t/acme/users/me", null, Map.of()).status()).isEqualTo(401);

        String reset = newUser("borrower");
        Browser three = app.signedIn("acme", reset, PASSWORD, "latchkey-app");
        assertThat(three.call("GET", "/t/acme/users/me", null, Map.of()).status()).isEqualTo(200);
        resetThroughThePages(reset, Map.of(), "a brand new passphrase here");
        assertThat(three.call("GET", "/t/acme/users/me", null, Map.of()).status()).isEqualTo(401);
    }

    @Test
    void idleSessions_end() {
        Browser browser = app.signedIn("acme", newUser("borrower"), PASSWORD, CONSOLE);
        app.clock().advance(Duration.ofMinutes(20));
        assertThat(browser.call("GET", "/t/acme/users/me", null, Map.of()).status()).isEqualTo(200);
        app.clock().advance(Duration.ofMinutes(31));
        assertThat(browser.call("GET", "/t/acme/users/me", null, Map.of()).status()).isEqualTo(401);
    }

    @Test
    void sessionsInUse_stillEnd_afterTheirMaximumLifetime() {
        Browser browser = app.signedIn("acme", newUser("borrower"), PASSWORD, CONSOLE);
        for (int i = 0; i < 28; i++) {
            app.clock().advance(Duration.ofMinutes(25));
            assertThat(browser.call("GET", "/t/acme/users/me", null, Map.of()).status()).as("after %d min", 25 * (i + 1)).isEqualTo(200);
        }
        app.clock().advance(Duration.ofMinutes(25));
        assertThat(browser.call("GET", "/t/acme/users/me", null, Map.of()).status()).as("after 12h05").isEqualTo(401);
    }

    @Test
    void theSessionCookieOfOneTenant_isRefusedOnAnother() {
        Browser browser = app.signedIn("acme", newUser("borrower"), PASSWORD, CONSOLE);
        assertThat(browser.call("GET", "/t/beta/users/me", null, Map.of()).status()).isEqualTo(401);
        Browser forged = app.browser();
        forged.cookies().put("__Host-lk-session-beta", browser.cookie("__Host-lk-session-acme"));
        assertThat(forged.call("GET", "/t/beta/users/me", null, Map.of()).status()).isEqualTo(401);
        assertThat(forged.call("GET", "/t/beta/session", null, Map.of()).status()).isEqualTo(401);
    }

    @Test
    void publicClient_redeemsItsCode_once_withItsVerifier_atItsRedirectUri() throws IOException {
        String email = newUser("borrower");
        String verifier = "v".repeat(20) + "-verifier-of-the-spa-" + System.nanoTime();
        String code = codeFor(email, SPA, SPA_REDIRECT, Pkce.challengeOf(verifier));

        Map<String, String> exchange = new HashMap<>(Map.of("grant_type", "authorization_code", "code", code,
                "client_id", SPA, "redirect_uri", SPA_REDIRECT, "code_verifier", verifier));
        Map<String, String> wrongVerifier = new HashMap<>(exchange);
        wrongVerifier.put("code_verifier", "w" + verifier.substring(1));
        assertOAuthError(app.http.postForm("/t/acme/oauth/token", wrongVerifier), 400, "invalid_grant");
        Map<String, String> foreignRedirect = new HashMap<>(exchange);
        foreignRedirect.put("redirect_uri", "http://127.0.0.1:9/evil/callback");
        assertOAuthError(app.http.postForm("/t/acme/oauth/token", foreignRedirect), 400, "invalid_grant");
        Map<String, String> otherClient = new HashMap<>(exchange);
        otherClient.put("client_id", CONSOLE);
        assertOAuthError(app.http.postForm("/t/acme/oauth/token", otherClient), 400, "unauthorized_client");
        Map<String, String> unknownClient = new HashMap<>(exchange);
        unknownClient.put("client_id", "nobody");
        assertOAuthError(app.http.postForm("/t/acme/oauth/token", unknownClient), 401, "invalid_client");

        Http.Reply tokens = app.http.postForm("/t/acme/oauth/token", exchange);
        assertThat(tokens.status()).as(tokens.body()).isEqualTo(200);
        String access = tokens.text("access_token");
        assertThat(app.http.get("/t/acme/users/me", access).text("email")).isEqualTo(email);

        // the same code again: refused, and what the first exchange issued is revoked
        assertOAuthError(app.http.postForm("/t/acme/oauth/token", exchange), 400, "invalid_grant");
        assertThat(app.http.get("/t/acme/users/me", access).status()).isEqualTo(401);
        assertOAuthError(app.http.postForm("/t/acme/oauth/token", Map.of("grant_type", "refresh_token",
                "refresh_token", tokens.text("refresh_token"))), 400, "invalid_grant");
        assertThat(app.context().getBean(RecordingAuditLog.class).all())
                .anyMatch(r -> r.entry().action().equals("user.sessions.end") && r.entry().outcome().equals("AUTHORIZATION_CODE_REUSED"));
    }

    @Test
    void aCodeExpires_afterAMinute() {
        String email = newUser("borrower");
        String verifier = "x".repeat(43);
        String code = codeFor(email, SPA, SPA_REDIRECT, Pkce.challengeOf(verifier));
        app.clock().advance(Duration.ofSeconds(61));
        assertOAuthError(app.http.postForm("/t/acme/oauth/token", Map.of("grant_type", "authorization_code", "code", code,
                "client_id", SPA, "redirect_uri", SPA_REDIRECT, "code_verifier", verifier)), 400, "invalid_grant");
    }

    @Test
    void authorizationRequests_withoutS256Challenge_orState_goBackAsErrors_andUnregisteredOnesAreNotRedirected() {
        String challenge = Pkce.challengeOf("y".repeat(43));
        Browser browser = app.browser();
        Map<String, String> missingChallenge = query(URI.create(browser.getOnly(authorize(SPA, SPA_REDIRECT, "s1", null, null)).header("Location")));
        assertThat(missingChallenge).containsEntry("error", "invalid_request").containsEntry("state", "s1");
        Browser.Page plain = browser.getOnly(authorize(SPA, SPA_REDIRECT, "s2", "y".repeat(43), "plain"));
        assertThat(plain.status()).isEqualTo(303);
        assertThat(plain.header("Location")).startsWith(SPA_REDIRECT + "?error=invalid_request");
        assertThat(query(URI.create(browser.getOnly(authorize(SPA, SPA_REDIRECT, null, challenge, "S256")).header("Location"))))
                .containsEntry("error", "invalid_request");
        assertThat(query(URI.create(browser.getOnly(authorize(SPA, SPA_REDIRECT, "s3", challenge, "S256")
                .replace("response_type=code", "response_type=token")).header("Location"))))
                .containsEntry("error", "unsupported_response_type");

        Browser.Page foreign = browser.getOnly(authorize(SPA, "http://127.0.0.1:9/evil/callback", "s4", challenge, "S256"));
        assertThat(foreign.status()).isEqualTo(400);
        assertThat(foreign.header("Location")).isEmpty();
        Browser.Page prefix = browser.getOnly(authorize(SPA, SPA_REDIRECT + "/../evil", "s5", challenge, "S256"));
        assertThat(prefix.status()).isEqualTo(400);
        Browser.Page unknown = browser.getOnly(authorize("nobody", SPA_REDIRECT, "s6", challenge, "S256"));
        assertThat(unknown.status()).isEqualTo(400);
        assertThat(unknown.header("Location")).isEmpty();
        assertThat(unknown.body()).contains("unknown client_id");
        // the backend's apps are redirected to their own callback only
        assertThat(browser.getOnly(authorize(CONSOLE, SPA_REDIRECT, "s7", challenge, "S256")).status()).isEqualTo(400);
    }

    @Test
    void theCallback_refusesAStateItDidNotStart_andAReplayedCode() {
        String email = newUser("borrower");
        Browser browser = app.browser();
        Map<String, String> form = new LinkedHashMap<>(browser.get("/t/acme/session/sign-in?client=" + CONSOLE).hiddenFields());
        form.put("email", email);
        form.put("password", PASSWORD);
        String callback = browser.postOnly("/t/acme/oauth/authorize", form).header("Location");

        Browser other = app.browser();
        assertThat(other.getOnly(callback).status()).as("a callback this browser did not start").isEqualTo(400);
        assertThat(browser.getOnly(callback.replaceAll("state=[^&]+", "state=forged")).status()).isEqualTo(400);
        assertThat(browser.cookies()).doesNotContainKey("__Host-lk-session-acme");
    }

    @Test
    void discovery_advertisesOnlyWhatExists() {
        JsonNode metadata = expect(200, app.http.get("/t/acme/.well-known/openid-configuration", null)).json();
        String issuer = app.baseUri() + "/t/acme";
        assertThat(metadata.path("issuer").asText()).isEqualTo(issuer);
        assertThat(metadata.path("authorization_endpoint").asText()).isEqualTo(issuer + "/oauth/authorize");
        assertThat(metadata.path("token_endpoint").asText()).isEqualTo(issuer + "/oauth/token");
        assertThat(metadata.path("response_types_supported").toString()).isEqualTo("[\"code\"]");
        assertThat(metadata.path("code_challenge_methods_supported").toString()).isEqualTo("[\"S256\"]");
        assertThat(metadata.path("grant_types_supported").toString()).isEqualTo("[\"authorization_code\",\"password\",\"refresh_token\"]");
        assertThat(metadata.has("id_token_signing_alg_values_supported")).isFalse();
        assertThat(metadata.toString()).doesNotContain("id_token", "implicit", "\"token\"", "plain");
        // every endpoint it names answers
        String challenge = Pkce.challengeOf("z".repeat(43));
        assertThat(app.browser().getOnly(metadata.path("authorization_endpoint").asText() + "?response_type=code&client_id=" + SPA
                + "&redirect_uri=" + enc(SPA_REDIRECT) + "&state=s&code_challenge=" + challenge + "&code_challenge_method=S256").status())
                .isEqualTo(200);
        assertThat(app.http.get(metadata.path("jwks_uri").asText().substring(app.baseUri().toString().length()), null).status()).isEqualTo(200);
        for (String grant : List.of("authorization_code", "password", "refresh_token")) {
            assertThat(app.http.postForm("/t/acme/oauth/token", Map.of("grant_type", grant)).text("error"))
                    .as(grant).isEqualTo("invalid_request");
        }
    }

    @Test
    void passwordReset_fromTheBrowser_mailLinkOpensAPage_questions_newPassword() {
        String email = newUser("borrower");
        String token = app.token("acme", email);
        expect(200, app.http.patchJson("/t/acme/users/me", token, Map.of("phone", "+49 30 555 0123", "dateOfBirth", "1990-04-30")));
        String newPassword = "the borrower's new passphrase";
        resetThroughThePages(email, Map.of("phone", "+49 30 555 0123", "dateOfBirth", "1990-04-30"), newPassword);
        assertThat(app.signedIn("acme", email, newPassword, "latchkey-app").cookie("__Host-lk-session-acme")).isNotNull();
    }

    @Test
    void passwordReset_wrongAnswers_countAsOnTheApi() {
        String email = newUser("borrower");
        expect(200, app.http.patchJson("/t/acme/users/me", app.token("acme", email), Map.of("phone", "+49 30 555 0124")));
        Browser browser = app.browser();
        Browser.Page asked = browser.get("/t/acme/reset-password");
        Map<String, String> form = new LinkedHashMap<>(asked.hiddenFields());
        form.put("email", email);
        assertThat(browser.post("/t/acme/reset-password", form).status()).isEqualTo(200);
        String link = Mailbox.lastResetToken(dataDir, "acme", email).orElseThrow();
        Browser.Page questions = browser.get("/t/acme/reset-password/" + link);
        for (int left = 3; left >= 1; left--) {
            Browser.Page wrong = browser.post("/t/acme/reset-password/" + link + "/answers",
                    Map.of("csrf", questions.hiddenFields().get("csrf"), "phone", "+1 555 000"));
            assertThat(wrong.status()).isEqualTo(400);
            assertThat(wrong.body()).contains(left + " wrong answer(s) left");
        }
        Browser.Page locked = browser.post("/t/acme/reset-password/" + link + "/answers",
                Map.of("csrf", questions.hiddenFields().get("csrf"), "phone", "+1 555 000"));
        assertThat(locked.status()).isEqualTo(403);
        assertThat(app.http.postForm("/t/acme/oauth/token", Map.of("grant_type", "password", "username", email,
                "password", PASSWORD)).status()).isEqualTo(400);
    }

    /** Request, mailed link, questions, new password: all through the pages. */
    private void resetThroughThePages(String email, Map<String, String> answers, String newPassword) {
        Browser browser = app.browser();
        Browser.Page asked = browser.get("/t/acme/reset-password");
        assertThat(asked.status()).isEqualTo(200);
        assertThat(asked.body()).contains("<label for=\"email\">");
        Map<String, String> form = new LinkedHashMap<>(asked.hiddenFields());
        form.put("email", email);
        Browser.Page sent = browser.post("/t/acme/reset-password", form);
        assertThat(sent.status()).isEqualTo(200);
        String body = Mailbox.messagesTo(dataDir, "acme", email).get(Mailbox.messagesTo(dataDir, "acme", email).size() - 1)
                .path("body").asText();
        String link = body.replaceAll("(?s).*(http://\\S+/reset-password/[A-Za-z0-9_-]+).*", "$1");
        assertThat(link).startsWith(app.baseUri() + "/t/acme/reset-password/");

        Browser.Page page = browser.get(link);
        assertThat(page.status()).isEqualTo(200);
        assertThat(page.header("Content-Type")).startsWith("text/html");
        String csrf = page.hiddenFields().get("csrf");
        if (!answers.isEmpty()) {
            answers.keySet().forEach(question -> assertThat(page.body()).contains("<label for=\"" + question + "\">"));
            Map<String, String> answerForm = new LinkedHashMap<>(answers);
            answerForm.put("csrf", csrf);
            Browser.Page confirmed = browser.post(link + "/answers", answerForm);
            assertThat(confirmed.status()).as(confirmed.body()).isEqualTo(200);
            assertThat(confirmed.body()).contains("<label for=\"newPassword\">");
        } else {
            assertThat(page.body()).contains("<label for=\"newPassword\">");
        }
        Browser.Page weak = browser.post(link, Map.of("csrf", csrf, "newPassword", "short"));
        assertThat(weak.status()).isEqualTo(400);
        Map<String, String> crossSite = Map.of("csrf", csrf, "newPassword", newPassword);
        assertThat(app.browser().post(link, crossSite).status()).as("without the cookie").isEqualTo(403);
        Browser.Page done = browser.post(link, crossSite);
        assertThat(done.status()).as(done.body()).isEqualTo(200);
        assertThat(done.body()).contains("Password changed");
        assertThat(browser.get(link).status()).as("the link works once").isEqualTo(404);
    }

    /** Signs in through the page for any client, returning the code from the redirect. */
    private String codeFor(String email, String client, String redirectUri, String challenge) {
        Browser browser = app.browser();
        Browser.Page page = browser.get(authorize(client, redirectUri, "st", challenge, "S256"));
        assertThat(page.status()).as(page.body()).isEqualTo(200);
        assertThat(page.header("Content-Security-Policy")).contains("form-action 'self' http://127.0.0.1:9");
        Map<String, String> form = new LinkedHashMap<>(page.hiddenFields());
        form.put("email", email);
        form.put("password", PASSWORD);
        Browser.Page redirected = browser.postOnly("/t/acme/oauth/authorize", form);
        assertThat(redirected.status()).isEqualTo(303);
        assertThat(redirected.header("Location")).startsWith(redirectUri + "?code=");
        return query(URI.create(redirected.header("Location"))).get("code");
    }

    private static String authorize(String client, String redirectUri, String state, String challenge, String method) {
        StringBuilder url = new StringBuilder("/t/acme/oauth/authorize?response_type=code&client_id=").append(enc(client))
                .append("&redirect_uri=").append(enc(redirectUri));
        if (state != null) {
            url.append("&state=").append(enc(state));
        }
        if (challenge != null) {
            url.append("&code_challenge=").append(enc(challenge));
        }
        if (method != null) {
            url.append("&code_challenge_method=").append(enc(method));
        }
        return url.toString();
    }

    private String newUser(String role) {
        String email = role + "-" + System.nanoTime() + "@acme.test";
        app.user("acme", admin, email, role);
        return email;
    }

    private String idOf(String email) {
        return expect(200, app.http.get("/t/acme/users/me", app.token("acme", email))).text("id");
    }

    private static void assertOAuthError(Http.Reply reply, int status, String error) {
        assertThat(reply.status()).as(reply.body()).isEqualTo(status);
        assertThat(reply.text("error")).isEqualTo(error);
    }

    private static JsonNode json(Browser.Page page) {
        assertThat(page.status()).as(page.body()).isEqualTo(200);
        try {
            return Json.mapper().readTree(page.body());
        } catch (IOException e) {
            throw new AssertionError(page.body(), e);
        }
    }

    private static Map<String, String> query(URI uri) {
        Map<String, String> values = new LinkedHashMap<>();
        if (uri.getRawQuery() != null) {
            for (String pair : uri.getRawQuery().split("&")) {
                String[] kv = pair.split("=", 2);
                values.put(URLDecoder.decode(kv[0], StandardCharsets.UTF_8), kv.length > 1 ? URLDecoder.decode(kv[1], StandardCharsets.UTF_8) : "");
            }
        }
        return values;
    }

    private static String enc(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
