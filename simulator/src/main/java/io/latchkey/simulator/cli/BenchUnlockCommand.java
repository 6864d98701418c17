package io.latchkey.simulator.cli;

import io.latchkey.simulator.api.LatchkeyClient;
import io.latchkey.simulator.fleet.Fleet;
import io.latchkey.simulator.scenario.Steps;
import io.latchkey.simulator.scenario.TenantBootstrap;
import io.latchkey.simulator.scenario.UnlockBenchmark;
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

@Command(name = "bench-unlock", mixinStandardHelpOptions = true,
        description = "Sequential UNLOCKs against one simulated car; prints p50/p95/p99/max of the HTTP round trip, and JSON.")
public final class BenchUnlockCommand implements Callable<Integer> {
    @Mixin
    CommonOptions common;

    @Mixin
    AdminOptions admin;

    @Option(names = "--count", defaultValue = "200", description = "measured unlocks (default ${DEFAULT-VALUE})")
    int count;

    @Option(names = "--warmup", defaultValue = "20", description = "unlocks before measuring (default ${DEFAULT-VALUE})")
    int warmup;

    @Option(names = "--pulse-ms", defaultValue = "0", description = "relay pulse length in ms (default ${DEFAULT-VALUE})")
    long pulseMs;

    @Option(names = "--json", description = "also write the JSON result to this file")
    Path json;

    @Override
    public Integer call() throws IOException {
        common.applyLogging();
        if (admin.missing() != null) {
            System.err.println("bench-unlock: " + admin.missing());
            return 2;
        }
        LatchkeyClient api = new LatchkeyClient(common.url, Duration.ofSeconds(30));
        TenantBootstrap.Options options = new TenantBootstrap.Options(admin.user, admin.password, "bench", 1,
                Duration.ofMillis(pulseMs), common.dataDir("latchkey-bench"), Duration.ofSeconds(30),
                Duration.ofSeconds(5), Duration.ofSeconds(60));
        PrintStream out = System.out;
        try (Fleet fleet = new Fleet(Fleet.Options.defaults())) {
            World world;
            try {
                world = new TenantBootstrap(api, new Steps(out), Clock.systemUTC(), new SplittableRandom()).run(options, fleet);
            } catch (Steps.StepFailed e) {
                System.err.println("bench-unlock: set-up failed: " + e.getMessage());
                return 1;
            }
            UnlockBenchmark.Result r = new UnlockBenchmark(api, out, Clock.systemUTC()).run(world, count, warmup, pulseMs);
            if (json != null) {
                Files.writeString(json, r.toJson() + "\n", StandardCharsets.UTF_8);
            }
            return r.failures() == 0 ? 0 : 1;
        }
    }
}
