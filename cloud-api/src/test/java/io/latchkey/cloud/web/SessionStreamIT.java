package io.latchkey.cloud.web;

import static io.latchkey.cloud.it.CloudApp.PASSWORD;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.latchkey.cloud.it.Browser;
import io.latchkey.cloud.it.CloudApp;
import io.latchkey.cloud.it.SseStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The fleet's live stream with a browser session: open like with a token, bounded like a token, closed after logout. */
class SessionStreamIT {
    @TempDir
    Path dataDir;

    @Test
    void aSessionsStream_endsWithinTheAccessTokenLifetime_andCannotReopenAfterLogout() throws Exception {
        try (CloudApp app = CloudApp.start(dataDir, Map.of("latchkey.tokens.access-ttl", "4s", "latchkey.live.keep-alive", "1s"))) {
            String admin = app.tenantWithAdmin("acme");
            app.user("acme", admin, "olga@acme.test", "operator");
            Browser browser = app.signedIn("acme", "olga@acme.test", PASSWORD, "latchkey-console");
            Map<String, String> cookie = Map.of("Cookie", "__Host-lk-session-acme=" + browser.cookie("__Host-lk-session-acme"));
            long opened = System.nanoTime();
            try (SseStream stream = SseStream.open(app, "/t/acme/fleet/stream", cookie, null)) {
                assertThat(stream.status()).isEqualTo(200);
                await().atMost(Duration.ofSeconds(15)).until(stream::ended);
                assertThat(Duration.ofNanos(System.nanoTime() - opened)).isGreaterThan(Duration.ofSeconds(2));
            }
            String csrf = browser.call("GET", "/t/acme/session", null, Map.of()).body()
                    .replaceAll(".*\"csrfToken\":\"([^\"]+)\".*", "$1");
            assertThat(browser.call("POST", "/t/acme/session/logout", null, Map.of("X-CSRF-Token", csrf)).status()).isEqualTo(204);
            try (SseStream again = SseStream.open(app, "/t/acme/fleet/stream", cookie, null)) {
                assertThat(again.status()).isEqualTo(401);
            }
        }
    }
}
