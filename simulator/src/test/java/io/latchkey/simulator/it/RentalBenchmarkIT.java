package io.latchkey.simulator.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.latchkey.simulator.api.LatchkeyClient;
import io.latchkey.simulator.fleet.Fleet;
import io.latchkey.simulator.scenario.RentalBenchmark;
import io.latchkey.simulator.scenario.Steps;
import io.latchkey.simulator.scenario.TenantBootstrap;
import io.latchkey.simulator.scenario.World;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs {@code bench-rental} briefly against the in-JVM backend: 20 rentals of one car (reserve now, unlock, end). The
 * figures are printed (measured, not asserted); the test fails if a rental did not start or end, or an outcome other
 * than an executed unlock and an ended rental occurred.
 */
class RentalBenchmarkIT {
    @TempDir
    Path backendDir;

    @TempDir
    Path agentsDir;

    @Test
    void twentySequentialRentals_allStartAndEnd_andBothRoundTripsAreReported() {
        try (Backend backend = new Backend(backendDir, Map.of());
             Fleet fleet = new Fleet(Fleet.Options.defaults())) {
            LatchkeyClient api = new LatchkeyClient(backend.url(), Duration.ofSeconds(30));
            World w = new TenantBootstrap(api, new Steps(System.out), Clock.systemUTC(), new SplittableRandom(3)).run(
                    new TenantBootstrap.Options(Backend.ADMIN_USER, Backend.ADMIN_PASSWORD, "bench", 1, Duration.ZERO,
                            agentsDir, Duration.ofSeconds(20), Duration.ofSeconds(5), Duration.ofSeconds(60)), fleet);

            RentalBenchmark.Result r = new RentalBenchmark(api, System.out, Clock.systemUTC()).run(w, 20, 3, 0);

            assertThat(r.allEnded()).as(r.toJson()).isTrue();
            assertThat(r.outcomes()).containsExactlyInAnyOrderEntriesOf(Map.of("UNLOCK_EXECUTED", 20, "END_ENDED", 20));
            assertThat(r.end().samples()).isEqualTo(20);
            assertThat(r.unlock().samples()).isEqualTo(20);
            assertThat(r.end().p50Ms()).isPositive().isLessThanOrEqualTo(r.end().p99Ms());
            assertThat(r.toJson()).contains("\"endRoundTrip\"", "\"unlockRoundTrip\"", "\"outcomes\"");
        }
    }
}
