package io.latchkey.simulator.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.latchkey.simulator.api.LatchkeyClient;
import io.latchkey.simulator.rollout.BackendSetup;
import io.latchkey.simulator.rollout.FleetRollout;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code sim rollout} against the real backend: the operator registers the update key, uploads the signed bundle and
 * creates a rollout in waves over 30 real agents (slots, launcher twin); a tenth has a bad build (crash, never connects),
 * a tenth loses power during the install or mark-good, two are booked and driven. The backend halts the rollout at the
 * first wave over the threshold, every bad device that got the release rolls back by itself, no good device is left
 * between versions, and the booked cars are deferred and untouched.
 */
class RolloutIT {
    private static final int CARS = 30;

    @TempDir
    Path dir;

    @Test
    void theBackendsRolloutHaltsOnBadBuilds_andEveryDeviceEndsOnAWholeVersion() throws Exception {
        FleetRollout.Options options = new FleetRollout.Options(CARS, List.of(30, 100), 5, 0.10, 0.10, 0.07,
                Duration.ofSeconds(5), Duration.ofMillis(500), Duration.ofSeconds(25), 11, dir.resolve("work"));
        FleetRollout.Result result;
        try (Backend backend = new Backend(dir.resolve("backend"), Map.of("latchkey.ota.tick", "1s", "latchkey.ota.reoffer", "10s"))) {
            LatchkeyClient api = new LatchkeyClient(backend.url(), Duration.ofSeconds(30));
            int rentals = (int) Math.round(options.rentals() * CARS);
            BackendSetup setup = new BackendSetup(api, Backend.ADMIN_USER, Backend.ADMIN_PASSWORD, CARS, rentals, System.out);
            result = new FleetRollout(options, System.out).run(setup);
        }
        result.measures().forEach((k, v) -> System.out.println(k + ": " + v));
        result.checks().forEach((k, v) -> assertThat(v).as(k).isEmpty());
        assertThat((String) result.measures().get("rollout state")).startsWith("HALTED");
        assertThat(result.measures().get("device states after the halted wave's devices settled").toString()).contains("ROLLED_BACK", "UPDATED");
    }
}
