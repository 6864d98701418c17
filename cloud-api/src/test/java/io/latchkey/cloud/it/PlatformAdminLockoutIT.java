package io.latchkey.cloud.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The policy's temporary lockout also holds for the platform admin (injected clock, no sleeping). */
class PlatformAdminLockoutIT {
    @TempDir
    Path dataDir;
    private CloudApp app;

    @BeforeEach
    void start() {
        app = CloudApp.start(dataDir, Map.of());
    }

    @AfterEach
    void stop() {
        app.close();
    }

    private Http.Reply signIn(String password) {
        return app.http.postForm("/platform/oauth/token",
                Map.of("grant_type", "password", "username", "admin", "password", password));
    }

    @Test
    void sixFailedSignIns_lockThePlatformAdminForFiveMinutes_evenAgainstTheRightPassword() {
        for (int i = 0; i < 5; i++) {
            assertThat(signIn("not the admin password").status()).isEqualTo(400);
        }
        assertThat(signIn(CloudApp.ADMIN_PASSWORD).status()).as("five failures do not lock yet").isEqualTo(200);

        for (int i = 0; i < 6; i++) {
            assertThat(signIn("not the admin password").status()).isEqualTo(400);
        }
        Http.Reply locked = signIn(CloudApp.ADMIN_PASSWORD);
        assertThat(locked.status()).isEqualTo(400);
        assertThat(locked.text("error")).as("same answer as a wrong password").isEqualTo("invalid_grant");

        app.clock().advance(Duration.ofMinutes(4).plusSeconds(59));
        assertThat(signIn(CloudApp.ADMIN_PASSWORD).status()).isEqualTo(400);
        app.clock().advance(Duration.ofSeconds(2));
        assertThat(signIn(CloudApp.ADMIN_PASSWORD).status()).isEqualTo(200);
    }
}
