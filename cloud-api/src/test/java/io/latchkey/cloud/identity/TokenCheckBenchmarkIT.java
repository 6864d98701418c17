package io.latchkey.cloud.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.latchkey.cloud.it.CloudApp;
import io.micronaut.http.HttpRequest;
import io.micronaut.security.authentication.Authentication;
import io.micronaut.security.filters.AuthenticationFetcher;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reactor.core.publisher.Flux;

/**
 * The cost of the bearer-token check, measured the way the security filter pays it: every
 * {@link AuthenticationFetcher} of the application in its order until one answers, for a valid tenant token on a
 * tenant path (signature, claims, the account's session version read from the store). Opt-in
 * ({@code -Dtoken.benchmark=true}); printed, not asserted beyond "it authenticated".
 */
class TokenCheckBenchmarkIT {
    private static final int WARM_UP = 20_000;
    private static final int RUNS = 5;
    private static final int CHECKS_PER_RUN = 10_000;

    @TempDir
    static Path dataDir;

    @Test
    @SuppressWarnings("unchecked")
    void tokenCheck_isMeasured() {
        assumeTrue(Boolean.getBoolean("token.benchmark"), "opt-in: -Dtoken.benchmark=true");
        try (CloudApp app = CloudApp.start(dataDir, Map.of())) {
            app.user("acme", app.tenantWithAdmin("acme"), "olga@acme.test", "operator");
            String token = app.token("acme", "olga@acme.test");
            List<AuthenticationFetcher<HttpRequest<?>>> fetchers = new ArrayList<>();
            app.context().getBeansOfType(AuthenticationFetcher.class).forEach(f -> fetchers.add(f));
            fetchers.sort(io.micronaut.core.order.OrderUtil.COMPARATOR);
            for (int i = 0; i < WARM_UP; i++) {
                check(fetchers, token);
            }
            double[] medians = new double[RUNS];
            for (int run = 0; run < RUNS; run++) {
                long[] nanos = new long[CHECKS_PER_RUN];
                for (int i = 0; i < CHECKS_PER_RUN; i++) {
                    long start = System.nanoTime();
                    Authentication authentication = check(fetchers, token);
                    nanos[i] = System.nanoTime() - start;
                    if (authentication == null) {
                        throw new AssertionError("a valid token did not authenticate");
                    }
                }
                Arrays.sort(nanos);
                medians[run] = nanos[CHECKS_PER_RUN / 2] / 1000.0;
                System.out.printf("token check run %d: p50 %.1f µs, p99 %.1f µs%n", run + 1, medians[run],
                        nanos[CHECKS_PER_RUN * 99 / 100] / 1000.0);
            }
            double[] sorted = medians.clone();
            Arrays.sort(sorted);
            System.out.printf("token check, %d runs of %d after %d warm-up, load %.1f: p50 per run %s µs, median of runs %.1f µs%n",
                    RUNS, CHECKS_PER_RUN, WARM_UP, ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage(),
                    Arrays.toString(Arrays.stream(medians).map(m -> Math.round(m * 10) / 10.0).toArray()), sorted[RUNS / 2]);
            assertThat(check(fetchers, token).getName()).isNotBlank();
        }
    }

    private static Authentication check(List<AuthenticationFetcher<HttpRequest<?>>> fetchers, String token) {
        HttpRequest<?> request = HttpRequest.GET("/t/acme/cars").bearerAuth(token);
        return Flux.fromIterable(fetchers).concatMap(f -> f.fetchAuthentication(request)).next().block();
    }
}
