package io.latchkey.cloud.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.IntFunction;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Parallel guesses get no more password checks than sequential ones: at most six (five failures, and the
 * sixth that locks) before the temporary lockout, for a tenant user and for the platform admin.
 */
class ConcurrentLockoutIT {
    private static final int PARALLEL_GUESSES = 24;

    @TempDir
    Path dataDir;
    private CloudApp app;
    private CountingPasswordHasher hasher;

    @BeforeEach
    void start() {
        app = CloudApp.start(dataDir, Map.of(CountingPasswordHasher.ENABLED, "true"));
        hasher = app.context().getBean(CountingPasswordHasher.class);
    }

    @AfterEach
    void stop() {
        app.close();
    }

    @Test
    void parallelWrongSignIns_checkAtMostSixPasswords_beforeTheLockout() throws Exception {
        String admin = app.tenantWithAdmin("acme");
        CloudApp.expect(201, app.http.postJson("/t/acme/users", admin,
                Map.of("email", "lena@acme.test", "name", "Lena", "password", CloudApp.PASSWORD)));
        hasher.takeChecks();

        List<Integer> statuses = inParallel(i -> app.http.postForm("/t/acme/oauth/token", Map.of("grant_type", "password",
                "username", "lena@acme.test", "password", "not the password " + i)).status());

        assertThat(statuses).containsOnly(400);
        assertThat(hasher.takeChecks()).isEqualTo(6);
        assertThat(app.http.postForm("/t/acme/oauth/token", Map.of("grant_type", "password",
                "username", "lena@acme.test", "password", CloudApp.PASSWORD)).status()).as("locked").isEqualTo(400);
        assertThat(hasher.takeChecks()).as("no check during the lockout").isZero();
    }

    @Test
    void parallelWrongSignIns_ofThePlatformAdmin_checkAtMostSixPasswords() throws Exception {
        hasher.takeChecks();

        List<Integer> statuses = inParallel(i -> app.http.postForm("/platform/oauth/token", Map.of("grant_type", "password",
                "username", "admin", "password", "not the admin password " + i)).status());

        assertThat(statuses).containsOnly(400);
        assertThat(hasher.takeChecks()).isEqualTo(6);
        assertThat(app.http.postForm("/platform/oauth/token", Map.of("grant_type", "password",
                "username", "admin", "password", CloudApp.ADMIN_PASSWORD)).status()).as("locked").isEqualTo(400);
        assertThat(hasher.takeChecks()).isZero();
    }

    private static List<Integer> inParallel(IntFunction<Integer> call) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(PARALLEL_GUESSES);
        try {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<Integer>> futures = new ArrayList<>();
            for (int i = 0; i < PARALLEL_GUESSES; i++) {
                int n = i;
                futures.add(pool.submit(() -> {
                    go.await();
                    return call.apply(n);
                }));
            }
            go.countDown();
            List<Integer> statuses = new ArrayList<>();
            for (Future<Integer> f : futures) {
                statuses.add(f.get());
            }
            return statuses;
        } finally {
            pool.shutdownNow();
        }
    }
}
