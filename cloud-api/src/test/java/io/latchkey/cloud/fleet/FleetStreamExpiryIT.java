package io.latchkey.cloud.fleet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.latchkey.cloud.it.CloudApp;
import io.latchkey.cloud.it.SseStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A live stream ends when the access token it was opened with expires; a fresh token opens a new one. */
class FleetStreamExpiryIT {
    @TempDir
    Path dataDir;

    @Test
    void theStreamEnds_whenItsTokenExpires() throws Exception {
        try (CloudApp app = CloudApp.start(dataDir, Map.of("latchkey.tokens.access-ttl", "4s", "latchkey.live.keep-alive", "1s"))) {
            String admin = app.tenantWithAdmin("acme");
            String operator = app.user("acme", admin, "olga@acme.test", "operator");
            long opened = System.nanoTime();
            try (SseStream stream = SseStream.open(app, "/t/acme/fleet/stream", operator, null)) {
                assertThat(stream.status()).isEqualTo(200);
                await().atMost(Duration.ofSeconds(15)).until(stream::ended);
                assertThat(Duration.ofNanos(System.nanoTime() - opened)).as("open until the token expired")
                        .isGreaterThan(Duration.ofSeconds(2));
                assertThat(stream.comments()).contains("keep-alive");
            }
            String fresh = app.token("acme", "olga@acme.test");
            try (SseStream again = SseStream.open(app, "/t/acme/fleet/stream", fresh, null)) {
                assertThat(again.status()).isEqualTo(200);
                assertThat(again.ended()).isFalse();
            }
        }
    }
}
