package io.latchkey.simulator.cli;

import io.latchkey.simulator.api.LatchkeyClient;
import io.latchkey.simulator.fleet.Fleet;
import io.latchkey.simulator.scenario.Steps;
import io.latchkey.simulator.scenario.TenantBootstrap;
import io.latchkey.simulator.scenario.World;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.SplittableRandom;

/**
 * What the sequential round-trip benchmarks share ({@code bench-unlock}, {@code bench-rental}): a tenant named
 * {@code bench} with one simulated car running the real agent, against a running backend, then one measurement
 * on it whose JSON is written to {@code --json} if given.
 */
final class OneCarBench {
    /** One measurement on the prepared tenant and car. */
    interface Measurement {
        Outcome run(LatchkeyClient api, World world, PrintStream out);
    }

    /** @param json the result as one JSON line; @param ok whether the run did what it should (exit 0) */
    record Outcome(String json, boolean ok) {
    }

    private OneCarBench() {
    }

    /** @return the exit code: 0 done, 1 set-up or measurement failed, 2 admin credentials missing */
    static int run(String name, CommonOptions common, AdminOptions admin, long pulseMs, Path json,
                   Measurement measurement) throws IOException {
        common.applyLogging();
        if (admin.missing() != null) {
            System.err.println(name + ": " + admin.missing());
            return 2;
        }
        LatchkeyClient api = new LatchkeyClient(common.url, Duration.ofSeconds(30));
        TenantBootstrap.Options options = new TenantBootstrap.Options(admin.user, admin.password, "bench", 1,
                Duration.ofMillis(pulseMs), common.dataDir("latchkey-" + name), Duration.ofSeconds(30),
                Duration.ofSeconds(5), Duration.ofSeconds(60));
        PrintStream out = System.out;
        try (Fleet fleet = new Fleet(Fleet.Options.defaults())) {
            World world;
            try {
                world = new TenantBootstrap(api, new Steps(out), Clock.systemUTC(), new SplittableRandom()).run(options, fleet);
            } catch (Steps.StepFailed e) {
                System.err.println(name + ": set-up failed: " + e.getMessage());
                return 1;
            }
            Outcome outcome = measurement.run(api, world, out);
            if (json != null) {
                Files.writeString(json, outcome.json() + "\n", StandardCharsets.UTF_8);
            }
            return outcome.ok() ? 0 : 1;
        }
    }
}
