package io.latchkey.simulator.cli;

import io.latchkey.simulator.api.LatchkeyClient;
import io.latchkey.simulator.fleet.Fleet;
import io.latchkey.simulator.scenario.Steps;
import io.latchkey.simulator.scenario.TenantBootstrap;
import io.latchkey.simulator.scenario.RentalBenchmark;
import io.latchkey.simulator.scenario.World;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "bench-rental", mixinStandardHelpOptions = true,
        description = {"The end-of-rental round trip against one simulated car: again and again reserve it now, UNLOCK (the rental starts), end the rental (the car checks itself and locks, the booking ENDED).", "Prints p50/p95/p99/max of the end route's HTTP round trip next to the UNLOCK's in the same run, the count of each outcome, and JSON."})
public final class BenchRentalCommand implements Callable<Integer> {
    @Mixin
    CommonOptions common;

    @Mixin
    AdminOptions admin;

    @Option(names = "--count", defaultValue = "100", description = "measured rentals (default ${DEFAULT-VALUE})")
    int count;

    @Option(names = "--warmup", defaultValue = "10", description = "rentals before measuring (default ${DEFAULT-VALUE})")
    int warmup;

    @Option(names = "--pulse-ms", defaultValue = "0", description = "relay pulse length in ms (default ${DEFAULT-VALUE})")
    long pulseMs;

    @Option(names = "--json", description = "also write the JSON result to this file")
    Path json;

    @Override
    public Integer call() throws IOException {
        common.applyLogging();
        if (admin.missing() != null) {
            System.err.println("bench-rental: " + admin.missing());
            return 2;
        }
        LatchkeyClient api = new LatchkeyClient(common.url, Duration.ofSeconds(30));
        TenantBootstrap.Options options = new TenantBootstrap.Options(admin.user, admin.password, "bench", 1,
                Duration.ofMillis(pulseMs), common.dataDir("latchkey-bench-rental"), Duration.ofSeconds(30),
                Duration.ofSeconds(5), Duration.ofSeconds(60));
        PrintStream out = System.out;
        try (Fleet fleet = new Fleet(Fleet.Options.defaults())) {
            World world;
            try {
                world = new TenantBootstrap(api, new Steps(out), Clock.systemUTC(), new SplittableRandom()).run(options, fleet);
            } catch (Steps.StepFailed e) {
                System.err.println("bench-rental: set-up failed: " + e.getMessage());
                return 1;
            }
            RentalBenchmark.Result r = new RentalBenchmark(api, out, Clock.systemUTC()).run(world, count, warmup, pulseMs);
            if (json != null) {
                Files.writeString(json, r.toJson() + "\n", StandardCharsets.UTF_8);
            }
            return r.allEnded() ? 0 : 1;
        }
    }
}
