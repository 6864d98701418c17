package io.latchkey.cloud.web;

import static io.latchkey.cloud.it.CloudApp.PASSWORD;
import static io.latchkey.cloud.it.CloudApp.expect;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.latchkey.cloud.identity.AuthorizationCodes;
import io.latchkey.cloud.identity.OAuthClients;
import io.latchkey.cloud.identity.OpaqueTokens;
import io.latchkey.cloud.identity.Pkce;
import io.latchkey.cloud.it.Browser;
import io.latchkey.cloud.it.CloudApp;
import io.latchkey.cloud.store.Stores;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link SignInSweep}: sign-ins never finished, browser sessions ended (idle, terminated account) and old
 * authorization codes are removed from the tenant's store once they can no longer be used; live ones stay and work.
 * Driven by the test's clock; the scheduled sweep is set to an hour so that only the test sweeps.
 */
class SignInSweepIT {
    @TempDir
    Path dataDir;

    @Test
    void expiredSignIns_endedSessions_andOldCodes_areRemoved_liveOnesStay() {
        try (CloudApp app = CloudApp.start(dataDir, Map.of("latchkey.web.sweep-interval", "1h"))) {
            String admin = app.tenantWithAdmin("acme");
            SignInSweep sweep = app.context().getBean(SignInSweep.class);
            WebSignIns signIns = app.context().getBean(WebSignIns.class);
            AuthorizationCodes codes = app.context().getBean(AuthorizationCodes.class);
            String idle = user(app, admin, "idle@acme.test");
            String busy = user(app, admin, "busy@acme.test");
            String leaving = user(app, admin, "leaving@acme.test");
            Browser idleBrowser = app.signedIn("acme", idle, PASSWORD, "latchkey-app");
            Browser busyBrowser = app.signedIn("acme", busy, PASSWORD, "latchkey-app");
            Browser leavingBrowser = app.signedIn("acme", leaving, PASSWORD, "latchkey-app");
            String idleSession = session(idleBrowser);
            String busySession = session(busyBrowser);
            String leavingSession = session(leavingBrowser);
            List<String> spentCodes = ids(app, "authorization-codes");
            assertThat(spentCodes).hasSize(3);
            String unfinished = OpaqueTokens.digest(signIns.start("acme", "latchkey-app").cookieValue());
            assertThat(ids(app, "web-sign-ins")).as("finished sign-ins are gone at once").containsExactly(unfinished);

            // nothing has ended yet: nothing is removed
            assertThat(sweep.sweep()).isEqualTo(new SignInSweep.Swept(0, 0, 0));
            assertThat(ids(app, "web-sessions")).containsExactlyInAnyOrder(idleSession, busySession, leavingSession);

            // a terminated account's session is removed, although its time has not run out
            String leavingId = expect(200, app.http.get("/t/acme/users/me", app.token("acme", leaving))).text("id");
            expect(204, app.http.delete("/t/acme/users/" + leavingId, admin));
            assertThat(sweep.sweep()).isEqualTo(new SignInSweep.Swept(0, 1, 0));
            assertThat(ids(app, "web-sessions")).containsExactlyInAnyOrder(idleSession, busySession);

            // 11 minutes on: the unfinished sign-in (10 minutes) and the spent codes (1 minute, kept 10 more) are gone;
            // a sign-in started 5 minutes ago and a fresh code stay
            app.clock().advance(Duration.ofMinutes(6));
            String recent = OpaqueTokens.digest(signIns.start("acme", "latchkey-app").cookieValue());
            app.clock().advance(Duration.ofMinutes(5));
            String fresh = OpaqueTokens.digest(codes.issue("acme", app.context().getBean(OAuthClients.class).find("acme", "latchkey-app")
                    .orElseThrow(), "http://127.0.0.1/cb", Pkce.challengeOf("v".repeat(43)), leavingId));
            assertThat(busyBrowser.call("GET", "/t/acme/users/me", null, Map.of()).status()).isEqualTo(200);
            assertThat(sweep.sweep()).isEqualTo(new SignInSweep.Swept(1, 0, 3));
            assertThat(ids(app, "web-sign-ins")).containsExactly(recent);
            assertThat(ids(app, "authorization-codes")).containsExactly(fresh);
            assertThat(ids(app, "web-sessions")).containsExactlyInAnyOrder(idleSession, busySession);

            // 31 minutes after sign-in: the session unused since is idle (30 minutes) and removed; the one used at 11 stays
            app.clock().advance(Duration.ofMinutes(20));
            assertThat(sweep.sweep()).isEqualTo(new SignInSweep.Swept(1, 1, 1));
            assertThat(ids(app, "web-sessions")).containsExactly(busySession);
            assertThat(ids(app, "web-sign-ins")).isEmpty();
            assertThat(ids(app, "authorization-codes")).isEmpty();
            assertThat(busyBrowser.call("GET", "/t/acme/users/me", null, Map.of()).status()).isEqualTo(200);
            assertThat(idleBrowser.call("GET", "/t/acme/users/me", null, Map.of()).status()).isEqualTo(401);
        }
    }

    @Test
    void aBadSweepInterval_stopsTheStartNamingTheKey() {
        assertThatThrownBy(() -> CloudApp.start(dataDir, Map.of("latchkey.web.sweep-interval", "often")))
                .hasStackTraceContaining("latchkey.web.sweep-interval must be a duration, got 'often'");
        assertThatThrownBy(() -> CloudApp.start(dataDir, Map.of("latchkey.web.sweep-interval", "2s")))
                .hasStackTraceContaining("latchkey.web.sweep-interval must be a duration between 10s and 1h");
    }

    private static String user(CloudApp app, String admin, String email) {
        app.user("acme", admin, email, "borrower");
        return email;
    }

    private static String session(Browser browser) {
        return OpaqueTokens.digest(browser.cookie("__Host-lk-session-acme"));
    }

    private static List<String> ids(CloudApp app, String collection) {
        return app.context().getBean(Stores.class).tenant("acme").list(collection);
    }
}
