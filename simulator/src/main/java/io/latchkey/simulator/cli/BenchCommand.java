package io.latchkey.simulator.cli;

import io.latchkey.simulator.bench.BenchOptions;
import io.latchkey.simulator.bench.BenchReport;
import io.latchkey.simulator.bench.Deployment;
import io.latchkey.simulator.bench.FleetBench;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "bench", mixinStandardHelpOptions = true,
        description = {"Fleet benchmark: starts a broker and the real backend (cloud-api from its build output) as child",
                "processes, runs N real agents here, and measures unlock round trips under load, a reconnect storm after a",
                "broker crash, telemetry ingestion counted in the store, loss/duplication end to end, a faults scenario,",
                "and the raw broker for reference, with RSS and CPU per process. Prints a table; --json writes the results.",
                "With --replicas N --store azurite [--broker mosquitto]: N replicas behind HAProxy and a replica crash phase;",
                "--fleet-processes K splits the cars over K child JVMs; --tenants K over K tenants, each with its own storage",
                "account (docs/benchmarks-scale.md). Without --data-dir the temporary work directory is deleted at the end",
                "(--keep keeps it)."})
public final class BenchCommand implements Callable<Integer> {
    @Mixin
    CommonOptions common;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--cars", defaultValue = "1000", description = "fleet size (default ${DEFAULT-VALUE})")
    int cars;

    @Option(names = "--commands-per-second", defaultValue = "10", description = "command load in the unlock phase (default ${DEFAULT-VALUE})")
    double commandsPerSecond;

    @Option(names = "--unlock-seconds", defaultValue = "60", description = "length of the unlock phase (default ${DEFAULT-VALUE})")
    int unlockSeconds;

    @Option(names = "--parked-seconds", defaultValue = "1",
            description = "telemetry interval of a parked car, s (default ${DEFAULT-VALUE}: a stress load; the agent's own default is 60)")
    int parkedSeconds;

    @Option(names = "--batch-size", defaultValue = "50",
            description = "records per telemetry batch, the agents' telemetry.batch-size (default ${DEFAULT-VALUE}, the agent's default)")
    int batchSize;

    @Option(names = "--unlock-only", description = "run only the reference pair, fleet start and the unlock phase")
    boolean unlockOnly;

    @Option(names = "--storm-downtime", defaultValue = "10", description = "broker downtime before the reconnect storm, s (default ${DEFAULT-VALUE})")
    int stormDowntime;

    @Option(names = "--backlog-seconds", defaultValue = "60", description = "broker downtime while every car drives, s (default ${DEFAULT-VALUE})")
    int backlogSeconds;

    @Option(names = "--fault-cars", defaultValue = "200", description = "cars in the faults scenario, 0 to skip (default ${DEFAULT-VALUE})")
    int faultCars;

    @Option(names = "--fault-seconds", defaultValue = "60", description = "length of the faults scenario (default ${DEFAULT-VALUE})")
    int faultSeconds;

    @Option(names = "--cloud-api-target", defaultValue = "cloud-api/target",
            description = "cloud-api's build output with its jar and lib/ (default ${DEFAULT-VALUE}, relative to the repository)")
    Path cloudApiTarget;

    @Option(names = "--backend-heap", defaultValue = "1g", description = "the backend's -Xmx (default ${DEFAULT-VALUE})")
    String backendHeap;

    @Option(names = "--backend-jvm-option", description = "one more option for the backend's JVM, e.g. -XX:+UseZGC (repeatable)")
    java.util.List<String> backendJvmOptions = new java.util.ArrayList<>();

    @Option(names = "--replicas", defaultValue = "1",
            description = "cloud-api processes; more than one run behind HAProxy and need --store azurite (default ${DEFAULT-VALUE})")
    int replicas;

    @Option(names = "--broker", defaultValue = "hivemq",
            description = "hivemq (HiveMQ CE in a JVM of its own, plain TCP) or mosquitto (Debian's Mosquitto 2 configured by "
                    + "broker-export: TLS, the tenant's device CA, shared subscriptions) (default ${DEFAULT-VALUE})")
    String broker;

    @Option(names = "--store", defaultValue = "file",
            description = "file (the backend's data directory) or azurite (Azure Blob emulator, shared by the replicas) (default ${DEFAULT-VALUE})")
    String store;

    @Option(names = "--store-accounts", paramLabel = "FILE",
            description = "with --store azurite: storage accounts from outside the bench (Azurite on another machine, or "
                    + "Azure Storage), a properties file of connection strings: platform=..., bench=..., bench-2=...; "
                    + "each container must be empty; tenants not named get an Azurite process here")
    Path storeAccounts;

    @Option(names = "--fleet-processes", defaultValue = "0",
            description = "split the cars over this many child JVMs (0: run them in this JVM; default ${DEFAULT-VALUE})")
    int fleetProcesses;

    @Option(names = "--fleet-heap", defaultValue = "1500m", description = "-Xmx of each fleet process (default ${DEFAULT-VALUE})")
    String fleetHeap;

    @Option(names = "--crash-seconds", defaultValue = "60",
            description = "replica crash phase with more than one replica: command load this long, the last replica SIGKILLed "
                    + "a quarter in and restarted; 0 skips it (default ${DEFAULT-VALUE})")
    int crashSeconds;

    @Option(names = "--skip-ingestion", description = "stop after the reconnect storm: no ingestion, backlog, audit or capacity phase")
    boolean skipIngestion;

    @Option(names = "--capacity-only",
            description = "only the reference pair and the ingestion capacity with light senders (no agents): compare --replicas 1 and 2")
    boolean capacityOnly;

    @Option(names = "--capacity-seconds", defaultValue = "30",
            description = "length of the ingestion capacity phase; the rate over its second half (after warm-up) is the one "
                    + "judged against the target (default ${DEFAULT-VALUE})")
    int capacitySeconds;

    @Option(names = "--receipt-timeout", description = "the agents' telemetry.receipt-timeout, e.g. 120s (default: the agent's, 10 s); "
            + "longer keeps agents from renewing their sessions when a starved backend receipts late")
    String receiptTimeout;

    @Option(names = "--tenants", defaultValue = "1",
            description = "split the cars evenly over this many tenants (bench, bench-2, ...), each with its own storage account: "
                    + "with --store azurite on an Azurite process of its own, with --broker mosquitto its own listener "
                    + "(default ${DEFAULT-VALUE})")
    int tenants;

    @Option(names = "--keep", description = "keep the temporary work directory (logs, data) at the end; "
            + "without --data-dir it is deleted otherwise")
    boolean keep;

    @Option(names = "--seed", defaultValue = "42", description = "fleet seed (default ${DEFAULT-VALUE})")
    long seed;

    @Option(names = "--json", description = "write the results as JSON to this file")
    Path json;

    /** The accounts of {@code --store-accounts}: a properties file, name to connection string. */
    static java.util.Map<String, String> storeAccounts(Path file) {
        if (file == null) {
            return java.util.Map.of();
        }
        java.util.Properties p = new java.util.Properties();
        try (java.io.Reader in = java.nio.file.Files.newBufferedReader(file, java.nio.charset.StandardCharsets.UTF_8)) {
            p.load(in);
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException("cannot read --store-accounts " + file + ": " + e.getMessage());
        }
        java.util.Map<String, String> accounts = new java.util.TreeMap<>();
        p.stringPropertyNames().forEach(name -> accounts.put(name, p.getProperty(name)));
        if (accounts.isEmpty()) {
            throw new IllegalArgumentException("--store-accounts " + file + " names no account");
        }
        return accounts;
    }

    @Override
    public Integer call() throws Exception {
        common.applyLogging();
        BenchOptions options;
        try {
            options = new BenchOptions(cloudApiTarget.toAbsolutePath(), null, cars, commandsPerSecond,
                    unlockSeconds, parkedSeconds, batchSize, unlockOnly, stormDowntime, backlogSeconds, unlockOnly ? 0 : faultCars, faultSeconds,
                    backendHeap, seed, backendJvmOptions, replicas, choice("--broker", Deployment.Broker.class, broker),
                    choice("--store", Deployment.Store.class, store), fleetProcesses, fleetHeap, crashSeconds, skipIngestion, capacityOnly,
                    receiptTimeout == null ? null : io.latchkey.hal.config.ConfigValues.duration("--receipt-timeout", receiptTimeout),
                    tenants, capacitySeconds, storeAccounts(storeAccounts));
        } catch (IllegalArgumentException e) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
        boolean temporary = common.dataDir == null;
        Path work = common.dataDir("latchkey-bench");
        BenchReport report;
        try {
            report = new FleetBench(options.withWorkDir(work), System.out).run();
        } finally {
            if (temporary && !keep) {
                System.out.println("deleting the work directory " + work + " (--keep or --data-dir keeps it)");
                deleteTree(work);
            } else {
                System.out.println("work directory kept: " + work);
            }
        }
        report.print(System.out);
        if (json != null) {
            Files.writeString(json, report.toJson() + "\n", StandardCharsets.UTF_8);
            System.out.println("results written to " + json);
        }
        return 0;
    }

    /** Deletes a directory tree, as far as it can (a file it cannot delete is left and said). */
    static void deleteTree(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (var paths = Files.walk(dir)) {
            for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                try {
                    Files.deleteIfExists(p);
                } catch (java.io.IOException e) {
                    System.out.println("cannot delete " + p + ": " + e);
                }
            }
        } catch (java.io.IOException | java.io.UncheckedIOException e) {
            System.out.println("cannot delete all of " + dir + ": " + e);
        }
    }

    private static <E extends Enum<E>> E choice(String option, Class<E> type, String value) {
        for (E e : type.getEnumConstants()) {
            if (e.name().equalsIgnoreCase(value)) {
                return e;
            }
        }
        throw new picocli.CommandLine.ParameterException(new picocli.CommandLine(new BenchCommand()),
                option + " must be one of " + java.util.Arrays.toString(type.getEnumConstants()).toLowerCase(java.util.Locale.ROOT)
                        + ", got '" + value + "'");
    }
}
