package io.latchkey.simulator.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.latchkey.simulator.api.LatchkeyClient;
import io.latchkey.simulator.fleet.Fleet;
import io.latchkey.simulator.scenario.Steps;
import io.latchkey.simulator.scenario.TenantBootstrap;
import io.latchkey.simulator.scenario.UnlockBenchmark;
import io.latchkey.simulator.scenario.World;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs {@code bench-unlock} against the in-JVM backend: 200 sequential unlocks with a 0 ms relay pulse.
 * The figures are printed (measured, not asserted); the test fails only if an unlock did not execute.
 */
class UnlockBenchmarkIT {
    @TempDir
    Path backendDir;

    @TempDir
    Path agentsDir;

    @Test
    void twoHundredSequentialUnlocks_allExecute_andTheRoundTripIsReported() {
        try (Backend backend = new Backend(backendDir, Map.of());
             Fleet fleet = new Fleet(Fleet.Options.defaults())) {
            LatchkeyClient api = new LatchkeyClient(backend.url(), Duration.ofSeconds(30));
            World w = new TenantBootstrap(api, new Steps(System.out), Clock.systemUTC(), new SplittableRandom(3)).run(
                    new TenantBootstrap.Options(Backend.ADMIN_USER, Backend.ADMIN_PASSWORD, "bench", 1, Duration.ZERO,
                            agentsDir, Duration.ofSeconds(20), Duration.ofSeconds(5), Duration.ofSeconds(60)), fleet);

            UnlockBenchmark.Result r = new UnlockBenchmark(api, System.out, Clock.systemUTC()).run(w, 200, 20, 0);

            assertThat(r.failures()).isZero();
            assertThat(r.count()).isEqualTo(200);
        }
    }
}
