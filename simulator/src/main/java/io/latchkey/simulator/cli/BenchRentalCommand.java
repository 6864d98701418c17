package io.latchkey.simulator.cli;

import io.latchkey.simulator.scenario.RentalBenchmark;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
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
        return OneCarBench.run("bench-rental", common, admin, pulseMs, json, (api, world, out) -> {
            RentalBenchmark.Result r = new RentalBenchmark(api, out, Clock.systemUTC()).run(world, count, warmup, pulseMs);
            return new OneCarBench.Outcome(r.toJson(), r.allEnded());
        });
    }
}
