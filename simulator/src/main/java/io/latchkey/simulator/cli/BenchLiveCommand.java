package io.latchkey.simulator.cli;

import io.latchkey.protocol.Json;
import io.latchkey.simulator.bench.LiveBench;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "bench-live", mixinStandardHelpOptions = true,
        description = "Fleet view and live stream benchmark: starts a broker and the real backend (cloud-api from its build "
                + "output) as child processes, registers N cars, lets light senders report one record per car per interval, "
                + "and measures GET /t/{tenant}/fleet (p50/p99 against GET /health in the same run) and the delay from a "
                + "car's record to its event on S operator streams (p50/p99). Prints the results; --json writes them.")
public final class BenchLiveCommand implements Callable<Integer> {
    @Mixin
    CommonOptions common;

    @Option(names = "--cars", defaultValue = "1000", description = "fleet size (default ${DEFAULT-VALUE})")
    int cars;

    @Option(names = "--streams", defaultValue = "50", description = "operator streams open in the fan-out phase (default ${DEFAULT-VALUE})")
    int streams;

    @Option(names = "--report-millis", defaultValue = "5000",
            description = "interval between two batches (one record each) of one car, ms (default ${DEFAULT-VALUE}: 1,000 cars send 200 "
                    + "batches/s, below what the backend ingests on 2 cores one record at a time; at a higher rate the delay "
                    + "measures the ingestion backlog, not the fan-out)")
    long reportMillis;

    @Option(names = "--fleet-seconds", defaultValue = "30", description = "length of the fleet-call phase (default ${DEFAULT-VALUE})")
    int fleetSeconds;

    @Option(names = "--stream-seconds", defaultValue = "30", description = "length of the fan-out phase (default ${DEFAULT-VALUE})")
    int streamSeconds;

    @Option(names = "--cloud-api-target", defaultValue = "cloud-api/target",
            description = "cloud-api's build output with its jar and lib/ (default ${DEFAULT-VALUE}, relative to the repository)")
    Path cloudApiTarget;

    @Option(names = "--backend-heap", defaultValue = "1g", description = "the backend's -Xmx (default ${DEFAULT-VALUE})")
    String backendHeap;

    @Option(names = "--json", description = "write the results as JSON to this file")
    Path json;

    @Override
    public Integer call() throws Exception {
        common.applyLogging();
        Path work = common.dataDir("latchkey-bench-live");
        Map<String, Object> results = new LiveBench(new LiveBench.Options(cloudApiTarget.toAbsolutePath(), work, cars, streams,
                reportMillis, fleetSeconds, streamSeconds, backendHeap), System.out).run();
        System.out.println(new String(Json.mapper().writerWithDefaultPrettyPrinter().writeValueAsBytes(results), StandardCharsets.UTF_8));
        if (json != null) {
            Files.writeString(json, new String(Json.write(results), StandardCharsets.UTF_8) + "\n", StandardCharsets.UTF_8);
        }
        return 0;
    }
}
