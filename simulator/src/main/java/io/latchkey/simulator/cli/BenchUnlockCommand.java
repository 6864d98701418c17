package io.latchkey.simulator.cli;

import io.latchkey.simulator.scenario.UnlockBenchmark;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
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
        return OneCarBench.run("bench-unlock", common, admin, pulseMs, json, (api, world, out) -> {
            UnlockBenchmark.Result r = new UnlockBenchmark(api, out, Clock.systemUTC()).run(world, count, warmup, pulseMs);
            return new OneCarBench.Outcome(r.toJson(), r.failures() == 0);
        });
    }
}
