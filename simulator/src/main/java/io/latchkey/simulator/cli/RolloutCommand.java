package io.latchkey.simulator.cli;

import io.latchkey.simulator.broker.ManagedBroker;
import io.latchkey.simulator.rollout.FleetRollout;
import io.latchkey.simulator.rollout.LocalSetup;
import io.latchkey.simulator.rollout.RolloutReport;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "rollout", mixinStandardHelpOptions = true,
        description = {"Over-the-air rollout over a fleet of real agents (docs/simulator.md, \"Rollouts\"): every car has the update key",
                "pinned, A/B slots under its data directory and starts through the launcher's twin; a small signed release is",
                "offered in waves; --bad-builds cars crash, exit 2 or never pass their self-test on it, --power-cuts cars lose",
                "power during the install or mark-good, --rentals cars are driven during the rollout. Checks that the rollout",
                "halts at the first wave over the threshold, every bad device rolls back by itself, no good device is left",
                "between versions and no rented car is touched; measures time to update, bytes per device, rollback time.",
                "Exit code 0 only if every check held."})
public final class RolloutCommand implements Callable<Integer> {
    @Mixin
    CommonOptions common;

    @Option(names = "--cars", defaultValue = "1000", description = "fleet size (default ${DEFAULT-VALUE})")
    int cars;

    @Option(names = "--waves", defaultValue = "1,10,50,100", description = "cumulative % of the cars per wave (default ${DEFAULT-VALUE})")
    String waves;

    @Option(names = "--threshold", defaultValue = "5", description = "% of a wave's devices that may fail before it halts (default ${DEFAULT-VALUE})")
    int threshold;

    @Option(names = "--bad-builds", defaultValue = "5%", description = "share of cars with a bad build of the release (default ${DEFAULT-VALUE})")
    String badBuilds;

    @Option(names = "--power-cuts", defaultValue = "2%", description = "share of cars whose power is cut during the install or mark-good (default ${DEFAULT-VALUE})")
    String powerCuts;

    @Option(names = "--rentals", defaultValue = "3%", description = "share of cars in an active rental during the rollout (default ${DEFAULT-VALUE})")
    String rentals;

    @Option(names = "--selftest-timeout", defaultValue = "20s", description = "the agents' ota.selftest-timeout (default ${DEFAULT-VALUE})")
    String selfTest;

    @Option(names = "--restart-delay", defaultValue = "1s", description = "systemd's RestartSec in the simulation, and a power cut's length (default ${DEFAULT-VALUE})")
    String restartDelay;

    @Option(names = "--device-timeout", defaultValue = "120s", description = "the rollout's time-out per device (default ${DEFAULT-VALUE})")
    String deviceTimeout;

    @Option(names = "--seed", defaultValue = "42", description = "which cars are bad, cut and rented (default ${DEFAULT-VALUE})")
    long seed;

    @Option(names = "--backend", description = "run the rollout by the real backend's API (cloud-api and a broker as child processes) instead of the simulator's stand-in")
    boolean backend;

    @Option(names = "--cloud-api-target", defaultValue = "cloud-api/target",
            description = "with --backend: cloud-api's build output with its jar and lib/ (default ${DEFAULT-VALUE})")
    Path cloudApiTarget;

    @Option(names = "--backend-heap", defaultValue = "1g", description = "with --backend: the backend's -Xmx (default ${DEFAULT-VALUE})")
    String backendHeap;

    @Option(names = "--report", description = "write the report here: NAME.json and NAME.md (default: rollout-report in the data directory)")
    Path report;

    @Override
    public Integer call() throws Exception {
        common.applyLogging();
        Path work = common.dataDir("latchkey-rollout");
        io.latchkey.simulator.fleet.FileHandleBudget.require(cars, false);
        List<Integer> waveList = Arrays.stream(waves.split(",")).map(String::strip).map(Integer::parseInt).toList();
        FleetRollout.Options options = new FleetRollout.Options(cars, waveList, threshold, share(badBuilds), share(powerCuts),
                share(rentals), duration(selfTest), duration(restartDelay), duration(deviceTimeout), seed, work);
        FleetRollout.Result result;
        if (backend) {
            result = io.latchkey.simulator.bench.RolloutBench.run(cloudApiTarget.toAbsolutePath(), backendHeap, options, System.out);
        } else {
            System.out.printf("work directory %s; broker and the rollout stand-in in this process%n", work);
            try (ManagedBroker broker = new ManagedBroker(work.resolve("broker"), 0, false)) {
                result = new FleetRollout(options, System.out).run(new LocalSetup("simrollout", broker.url(), cars));
            }
        }
        Path out = report != null ? report : work.resolve("rollout-report");
        RolloutReport.write(result, options, out, System.out);
        return result.ok() ? 0 : 1;
    }

    static double share(String value) {
        String v = value.strip();
        double d = v.endsWith("%") ? Double.parseDouble(v.substring(0, v.length() - 1)) / 100.0 : Double.parseDouble(v);
        if (d < 0 || d > 1) {
            throw new IllegalArgumentException("a share between 0 and 100 %: " + value);
        }
        return d;
    }

    static Duration duration(String value) {
        return io.latchkey.hal.config.ConfigValues.duration("duration", value);
    }
}
