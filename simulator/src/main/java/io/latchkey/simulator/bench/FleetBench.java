package io.latchkey.simulator.bench;

import io.latchkey.agent.config.AgentConfig;
import io.latchkey.agent.journal.JournalStats;
import io.latchkey.simulator.api.ApiTypes.CarDetail;
import io.latchkey.simulator.api.LatchkeyClient;
import io.latchkey.simulator.audit.CarLedger;
import io.latchkey.simulator.audit.CommandAudit;
import io.latchkey.simulator.audit.TelemetryAudit;
import io.latchkey.simulator.car.CarFactory;
import io.latchkey.simulator.car.CarProfiles;
import io.latchkey.simulator.car.SimulatedCar;
import io.latchkey.simulator.fleet.Fleet;
import io.latchkey.simulator.people.CommandLoad;
import io.latchkey.simulator.people.CommandLog;
import io.latchkey.simulator.route.GeoPoint;
import io.latchkey.simulator.scenario.AgentConfigs;
import io.latchkey.simulator.scenario.FaultSpec;
import io.latchkey.simulator.scenario.FleetSetup;
import io.latchkey.simulator.scenario.Percentiles;
import io.latchkey.simulator.scenario.ScenarioReport;
import io.latchkey.simulator.scenario.ScenarioRunner;
import io.latchkey.simulator.scenario.ScenarioSpec;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * {@code sim bench}: starts a broker and the real backend as child processes, connects a fleet of real
 * agents from this process, and measures, phase by phase: the raw broker's round trip and throughput
 * (reference), unlock round trips under a steady command load with every car reporting, a reconnect
 * storm after a broker crash, telemetry ingestion counted in the backend's store (live, then a backlog
 * drain), end-to-end loss and duplication across all of it, and a faults scenario. Peak RSS and CPU of
 * backend, broker and simulator are sampled per phase.
 *
 * <p>With {@code --tenants K} the cars are split evenly over K tenants ({@link #tenants}), each set up through the
 * API on its own (admin, operator, cars, devices), its cars on its own Mosquitto listener, its store on its own
 * storage account (with Azurite on an Azurite process of its own); the command load is spread over every tenant's
 * cars, each tenant's share sent by its own operator; counts and the audit are summed over the tenants' stores.
 */
public final class FleetBench {
    /** The tenant the bench creates on its fresh backend, the first of several ({@link #tenants}). */
    static final String TENANT = "bench";
    private static final int WARM_UP_SECONDS = 20;
    private static final int WARM_UP_CARS = 50;

    private final BenchOptions o;
    private final PrintStream out;
    private final Clock clock = Clock.systemUTC();
    private final BenchReport report = new BenchReport();
    /** The reference pair's round-trip p99 (400 B), the yardstick of the unlock p99. */
    private double referenceP99Ms = Double.NaN;
    private double referenceQos0P99Ms = Double.NaN;

    private int warmUpSeconds = WARM_UP_SECONDS;

    /** Called with the deployment after the last phase, before it stops (a test reads each tenant's store there). */
    private java.util.function.Consumer<Deployment> beforeStop = d -> { };

    public FleetBench(BenchOptions options, PrintStream out) {
        this.o = options;
        this.out = out;
    }

    /** For tests: a shorter unlock warm-up than the bench's 20 s (a test checks the path, not the tail). */
    FleetBench warmUpSeconds(int seconds) {
        this.warmUpSeconds = seconds;
        return this;
    }

    /** For tests: what to do with the deployment once the phases are over, while it still runs. */
    FleetBench beforeStop(java.util.function.Consumer<Deployment> action) {
        this.beforeStop = action;
        return this;
    }

    public BenchReport run() throws Exception {
        if (o.fleetProcesses() == 0) {
            io.latchkey.simulator.fleet.FileHandleBudget.require(o.cars(), false);
        }
        Files.createDirectories(o.workDir());
        String adminPassword = password();
        out.printf("work directory %s (logs: broker, backend/replica, fleet-N logs)%n", o.workDir());
        List<String> tenants = tenants(o.tenants());
        try (Deployment deployment = Deployment.start(new Deployment.Options(o.cloudApiTarget(), o.workDir(), o.replicas(),
                o.broker(), o.store(), tenants, o.backendHeap(), o.backendJvmOptions(), Duration.ofSeconds(10),
                o.storeAccounts()), adminPassword, out)) {
            Map<String, LongSupplier> pids = new LinkedHashMap<>(deployment.processes());
            pids.put("simulator", () -> ProcessHandle.current().pid());
            try (ProcessSampler sampler = new ProcessSampler(pids)) {
                put("cars", o.cars());
                put("machine", Runtime.getRuntime().availableProcessors() + " cores, java " + Runtime.version()
                        + ", load average " + loadAverage() + " at the start (shared machine)");
                put("deployment", o.replicas() + " replica(s)" + (o.replicas() > 1 ? " behind HAProxy" : "") + ", broker "
                        + o.broker().name().toLowerCase(java.util.Locale.ROOT) + ", store " + o.store().name().toLowerCase(java.util.Locale.ROOT)
                        + ", fleet " + (o.fleetProcesses() == 0 ? "in the bench's JVM" : "in " + o.fleetProcesses() + " processes"));
                int[] split = split(o.cars(), tenants.size());
                put("tenants", tenants.size() + ": " + String.join(", ", tenants) + " with " + Arrays.stream(split)
                        .mapToObj(Integer::toString).collect(java.util.stream.Collectors.joining(" / ")) + " cars"
                        + (o.store() != Deployment.Store.AZURITE ? ", one data directory"
                                : o.storeAccounts().isEmpty() ? ", each its own storage account on its own Azurite process"
                                        + " (the platform's account on the first)"
                                : ", each its own storage account; from outside the bench: "
                                        + String.join(", ", new java.util.TreeSet<>(o.storeAccounts().keySet()))));
                reference(deployment.referenceBrokerUrl(), sampler);
                LatchkeyClient api = new LatchkeyClient(deployment.url(), Duration.ofSeconds(60));
                List<FleetSetup.Result> worlds = new ArrayList<>();
                for (int t = 0; t < tenants.size(); t++) {
                    FleetSetup.Result world = new FleetSetup(api, clock, out).run("admin", adminPassword, tenants.get(t), split[t], 0);
                    if (!world.tenant().equals(tenants.get(t))) {
                        throw new IllegalStateException("the bench needs a fresh backend (tenant " + tenants.get(t) + " exists)");
                    }
                    worlds.add(world);
                }
                deployment.tenantCreated();
                TenantCounters store = counters(deployment, worlds);
                if (o.capacityOnly()) {
                    ingestionCapacity(worlds, deployment.referenceBrokerUrl(), store, sampler);
                    return report;
                }
                fleetPhases(api, worlds, deployment, store, sampler);
                if (o.faultCars() > 0 && deployment.brokerKind() == Deployment.Broker.HIVEMQ && o.replicas() == 1
                        && tenants.size() == 1) {
                    sampler.startPhase();
                    ScenarioReport faults = new ScenarioRunner(api, deployment.broker(), clock, out).run(faultSpec(),
                            new ScenarioRunner.Options("admin", adminPassword, o.workDir().resolve("fault-agents"),
                                    Duration.ofSeconds(10), Duration.ofSeconds(120)));
                    usage("faults scenario", sampler.endPhase());
                    report.faults(faults);
                } else if (o.faultCars() > 0) {
                    put("faults scenario", "skipped: it runs with --replicas 1 --broker hivemq --tenants 1 only (its cars use the "
                            + "discovery URL, its tenant is one more on the backend)");
                }
                beforeStop.accept(deployment);
            }
        }
        return report;
    }

    /**
     * The bench's tenant ids: {@code bench} alone, or {@code bench}, {@code bench-2}, ... {@code bench-K} (the first keeps
     * the one tenant's name, so a one-tenant run is what it always was).
     */
    static List<String> tenants(int k) {
        if (k < 1) {
            throw new IllegalArgumentException("--tenants must be at least 1, got " + k);
        }
        List<String> ids = new ArrayList<>(List.of(TENANT));
        for (int t = 2; t <= k; t++) {
            ids.add(TENANT + "-" + t);
        }
        return ids;
    }

    /** {@code cars} split as evenly as can be over {@code tenants}: the first ones get one more when it does not divide. */
    static int[] split(int cars, int tenants) {
        if (cars < tenants) {
            throw new IllegalArgumentException("--cars " + cars + " cannot be split over --tenants " + tenants);
        }
        int[] split = new int[tenants];
        for (int t = 0; t < tenants; t++) {
            split[t] = cars / tenants + (t < cars % tenants ? 1 : 0);
        }
        return split;
    }

    /** Every tenant's store as one counter (each tenant's own account), devices audited in their own tenant's. */
    private static TenantCounters counters(Deployment deployment, List<FleetSetup.Result> worlds) {
        Map<String, RecordCounter> byTenant = new LinkedHashMap<>();
        Map<String, String> tenantOf = new java.util.HashMap<>();
        for (FleetSetup.Result w : worlds) {
            byTenant.put(w.tenant(), deployment.counter(w.tenant()));
            w.cars().forEach(c -> tenantOf.put(c.deviceId(), w.tenant()));
        }
        return new TenantCounters(byTenant, tenantOf);
    }

    /**
     * The command load over the cars of every tenant: each tenant's share sent by its own operator, at the rate times
     * its share of the cars, so the whole is {@code rate} commands/s.
     */
    private final class Loads implements AutoCloseable {
        private final List<CommandLoad> loads = new ArrayList<>();
        private final List<Double> shares = new ArrayList<>();

        /** @param cars per tenant (in the order of {@code worlds}) the ids of the cars its operator commands */
        Loads(LatchkeyClient api, List<FleetSetup.Result> worlds, List<List<String>> cars, CommandLog log) {
            double all = cars.stream().mapToInt(List::size).sum();
            for (int t = 0; t < worlds.size(); t++) {
                if (!cars.get(t).isEmpty()) {
                    FleetSetup.Result w = worlds.get(t);
                    loads.add(new CommandLoad(api, w.operator(), w.tenant(), cars.get(t), log, clock));
                    shares.add(cars.get(t).size() / all);
                }
            }
        }

        void start(double rate) {
            for (int i = 0; i < loads.size(); i++) {
                loads.get(i).start(rate * shares.get(i));
            }
        }

        @Override
        public void close() {
            loads.forEach(CommandLoad::close);
        }
    }

    /** Each tenant's car ids, in the order of {@code worlds}. */
    private static List<List<String>> carIds(List<FleetSetup.Result> worlds) {
        return worlds.stream().map(w -> w.cars().stream().map(CarDetail::id).toList()).toList();
    }

    private static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
        } catch (IOException e) {
            return "unknown";
        }
    }

    private void reference(String brokerUrl, ProcessSampler sampler) throws Exception {
        out.println("reference: plain MQTT client pair against the broker");
        sampler.startPhase();
        Map<String, Object> ref = new LinkedHashMap<>();
        BrokerReference.Result small = BrokerReference.measure(brokerUrl, 400, 2_000, 10);
        BrokerReference.Result batch = BrokerReference.measure(brokerUrl, 14_000, 500, 10);
        referenceP99Ms = small.rttP99Ms();
        referenceQos0P99Ms = small.rttQos0P99Ms();
        ref.put("round trip p50 / p99 ms (400 B, a command or 1-record batch)", small.rttP50Ms() + " / " + small.rttP99Ms());
        ref.put("round trip at QoS 0 p50 / p99 ms (400 B, for comparison)", small.rttQos0P50Ms() + " / "
                + small.rttQos0P99Ms());
        ref.put("round trip with persistent sessions p50 / p99 ms (400 B, QoS 1, for comparison)",
                small.rttPersistentP50Ms() + " / " + small.rttPersistentP99Ms());
        ref.put("throughput msg/s (400 B)", small.throughputMsgPerSec());
        ref.put("round trip p50 / p99 ms (14 kB, a 50-record batch)", batch.rttP50Ms() + " / " + batch.rttP99Ms());
        ref.put("throughput msg/s (14 kB) = records/s at 50 per batch", batch.throughputMsgPerSec() + " = "
                + Math.round(batch.throughputMsgPerSec() * 50));
        put("reference broker", ref);
        usage("reference", sampler.endPhase());
    }

    private void fleetPhases(LatchkeyClient api, List<FleetSetup.Result> worlds, Deployment deployment, TenantCounters store,
                             ProcessSampler sampler) throws IOException {
        BenchCars.Setup setup = new BenchCars.Setup(worlds.stream().map(w -> new BenchCars.TenantAccess(w.discovery(),
                deployment.deviceMqttUrl(w.tenant()))).toList(), deployment.brokerCas(),
                o.workDir().resolve("agents"), o.parkedSeconds(), o.batchSize(), o.seed(), o.receiptTimeout());
        sampler.startPhase();
        long t0 = System.nanoTime();
        try (BenchFleet fleet = startFleet(worlds, setup)) {
            fleet.processes().forEach(sampler::add);
            boolean connected = fleet.awaitConnected(Duration.ofSeconds(Math.max(120, o.cars() / 50)));
            put("fleet start: all agents connected (s)", connected ? seconds(t0)
                    : "NOT within the limit: " + fleet.connected() + " of " + fleet.size());
            usage("fleet start", sampler.endPhase());
            settle(fleet, sampler);

            unlocks(api, worlds, fleet, deployment, store, sampler);
            if (o.replicas() > 1 && o.crashSeconds() > 0) {
                replicaCrash(api, worlds, fleet, deployment, store, sampler);
            }
            if (o.unlockOnly()) {
                return;
            }
            reconnectStorm(fleet, deployment.broker(), sampler, "reconnect storm", o.stormDowntimeSeconds());
            if (o.skipIngestion()) {
                String title = "loss and duplication (fleet run up to the reconnect storm, one broker crash)";
                try {
                    audit(fleet, store, title);
                } catch (IOException | RuntimeException e) {
                    // a store that no longer answers ends the audit, not the run: the figures before it stand
                    put(title, "not completed: the store did not answer (" + e + ")");
                }
                return;
            }
            ingestion(fleet, deployment.broker(), store, sampler);
            audit(fleet, store, "loss and duplication (whole fleet run, two broker crashes)");
        }
        ingestionCapacity(worlds, deployment.referenceBrokerUrl(), store, sampler);
    }

    /** Every tenant's cars, tenant by tenant; car {@code i} of the whole fleet gets model {@code i}. */
    private BenchFleet startFleet(List<FleetSetup.Result> worlds, BenchCars.Setup setup) throws IOException {
        List<BenchCars.Car> cars = new ArrayList<>();
        for (int t = 0; t < worlds.size(); t++) {
            FleetSetup.Result w = worlds.get(t);
            for (CarDetail car : w.cars()) {
                cars.add(new BenchCars.Car(w.device(car), t));
            }
        }
        if (o.fleetProcesses() > 0) {
            return new RemoteBenchFleet(o.fleetProcesses(), setup, cars, o.fleetHeap(), o.workDir(), out);
        }
        BenchCars.offerOneKeyShare();
        io.latchkey.simulator.fleet.Fleet fleet = BenchCars.fleet(o.seed());
        var factory = BenchCars.factory(o.seed());
        for (int i = 0; i < cars.size(); i++) {
            fleet.add(BenchCars.config(setup, cars.get(i)), factory.create(cars.get(i).device().deviceId(), i));
        }
        return new LocalBenchFleet(fleet);
    }

    /**
     * The replica crash: the unlock's command load through the load balancer; a quarter in, the last replica is
     * killed (SIGKILL) and started again at once. What the HTTP callers saw (statuses, failures without an answer,
     * round trips before, during and after) and, afterwards, what the store holds against the cars' journals.
     */
    private void replicaCrash(LatchkeyClient api, List<FleetSetup.Result> worlds, BenchFleet fleet, Deployment deployment,
                              TenantCounters store, ProcessSampler sampler) throws IOException {
        int victim = deployment.replicaCount() - 1;
        out.printf("replica crash: %.0f commands/s for %d s, replica %d SIGKILLed after %d s and started again%n",
                o.commandsPerSecond(), o.crashSeconds(), victim + 1, o.crashSeconds() / 4);
        sampler.startPhase();
        CommandLog log = new CommandLog();
        long t0 = System.nanoTime();
        double killedAt;
        double healthyAgainAt;
        java.time.Instant killed;
        java.time.Instant back;
        try (Loads load = new Loads(api, worlds, carIds(worlds), log)) {
            load.start(o.commandsPerSecond());
            sleep(o.crashSeconds() * 250L);
            killed = clock.instant();
            deployment.killReplica(victim);
            killedAt = seconds(t0);
            deployment.restartReplica(victim);
            back = clock.instant();
            healthyAgainAt = seconds(t0);
            long rest = o.crashSeconds() * 1000L - (System.nanoTime() - t0) / 1_000_000;
            sleep(Math.max(5_000, rest));
        }
        sleep(12_000); // commands still in flight time out (10 s) and are answered
        usage("replica crash", sampler.endPhase());
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("replica killed after / healthy again after (s)", killedAt + " / " + healthyAgainAt);
        List<CommandLog.Entry> entries = log.entries();
        r.put("commands sent", entries.size());
        r.put("answers by status (-1 = no answer: connection failed or client timeout)", entries.stream()
                .collect(java.util.stream.Collectors.groupingBy(CommandLog.Entry::status, java.util.TreeMap::new,
                        java.util.stream.Collectors.counting())));
        r.put("with a definite answer (200, 409, 502, 503, 504)", entries.stream().filter(CommandLog.Entry::answeredOrTimedOut).count());
        r.put("failures without an answer (first 5)", entries.stream().filter(e -> e.status() == -1).limit(5)
                .map(e -> e.sentAt() + " " + e.error()).toList());
        r.put("round trip p99 ms before the kill / while down / after it was back", p99(entries, null, killed) + " / "
                + p99(entries, killed, back) + " / " + p99(entries, back, null));
        put("replica crash", r);
        audit(fleet, store, "after the replica crash: the store against the cars' journals");
    }

    private static String p99(List<CommandLog.Entry> entries, java.time.Instant from, java.time.Instant to) {
        long[] micros = entries.stream().filter(e -> e.status() == 200)
                .filter(e -> (from == null || !e.sentAt().isBefore(from)) && (to == null || e.sentAt().isBefore(to)))
                .mapToLong(CommandLog.Entry::roundTripMicros).toArray();
        return micros.length == 0 ? "-" : String.format("%.1f (%d)", new Percentiles(micros).at(99) / 1000.0, micros.length);
    }

    /** The fleet has stopped: what broker and backend store from light senders, same flow control. */
    private void ingestionCapacity(List<FleetSetup.Result> worlds, String brokerUrl, RecordCounter store,
                                   ProcessSampler sampler) throws IOException {
        out.println("ingestion capacity: light senders (no agents) with the agents' flow control, " + o.capacitySeconds() + " s");
        sampler.startPhase();
        Map<String, String> devices = new LinkedHashMap<>();
        worlds.forEach(w -> w.cars().forEach(c -> devices.put(c.deviceId(), w.tenant())));
        double[] rate;
        IngestionCapacity capacity;
        try {
            capacity = new IngestionCapacity(brokerUrl, devices, o.batchSize(), 4);
            rate = capacity.run(store, o.capacitySeconds());
        } catch (Exception e) {
            throw new IOException("ingestion capacity phase failed", e);
        }
        usage("ingestion capacity", sampler.endPhase());
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("devices / records per batch", devices.size() + " / " + o.batchSize());
        r.put("stored (records/s, from the store, " + o.capacitySeconds() + " s average)", Math.round(rate[0]));
        r.put("stored over the phase's second half (records/s, after warm-up)", Math.round(rate[2]));
        r.put("highest sustained over 5 s (records/s)", Math.round(rate[1]));
        r.put("batches sent again (no receipt within 5 s)", capacity.resent());
        r.put("count check after the phase (a mark resolved vs. a full read)", capacity.countCheck());
        r.put("target >= 20,000 records/s (second half)", rate[2] >= 20_000 ? "met" : "NOT met");
        put("ingestion capacity (broker + backend, light senders)", r);
    }

    /**
     * Waits until every car's records up to now are stored (receipts back), so that the unlock is measured with the
     * fleet running as it does for hours, not in the burst of first batches after 10,000 cars connected (each replica
     * builds a car's ledger on its first batch); how long that takes is a figure of its own.
     */
    private void settle(BenchFleet fleet, ProcessSampler sampler) {
        sampler.startPhase();
        fleet.mark();
        long t0 = System.nanoTime();
        long deadline = t0 + Duration.ofSeconds(SETTLE_LIMIT_SECONDS).toNanos();
        while (!fleet.drainedSinceMark() && System.nanoTime() < deadline) {
            sleep(1_000);
        }
        put("fleet settled: every journal stored after connecting (s)", fleet.drainedSinceMark() ? seconds(t0)
                : "NOT within " + SETTLE_LIMIT_SECONDS + " s: " + fleet.pendingRecords() + " records waiting");
        usage("fleet settling", sampler.endPhase());
    }

    /** How long the store audit reads at most (one listing and one read per car: ~20,000 requests at 10,000 cars). */
    static final int AUDIT_LIMIT_SECONDS = 600;

    /** How long {@link #settle} waits at most. */
    static final int SETTLE_LIMIT_SECONDS = 600;

    private void unlocks(LatchkeyClient api, List<FleetSetup.Result> worlds, BenchFleet fleet, Deployment deployment,
                         RecordCounter store, ProcessSampler sampler) {
        out.printf("unlock round trips: %.0f commands/s for %d s with %d parked cars reporting every %d s%n",
                o.commandsPerSecond(), o.unlockSeconds(), fleet.size(), o.parkedSeconds());
        CommandLog log = new CommandLog();
        sleep(5_000);
        warmUp(api, worlds);
        sampler.startPhase();
        long storedBefore = store.count();
        long t0 = System.nanoTime();
        Loads load = new Loads(api, worlds, carIds(worlds), log);
        PairDuringLoad pair = pairDuringLoad(deployment.referenceBrokerUrl());
        load.start(o.commandsPerSecond());
        if (pair != null) {
            pair.start(o.commandsPerSecond());
        }
        sleep(o.unlockSeconds() * 1000L);
        load.close();
        if (pair != null) {
            pair.close();
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        long stored = store.count() - storedBefore;
        usage("unlock load", sampler.endPhase());
        long[] micros = log.entries().stream().filter(e -> e.status() == 200).mapToLong(CommandLog.Entry::roundTripMicros).toArray();
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("commands sent / executed", log.entries().size() + " / " + micros.length);
        r.put("other answers", log.entries().stream().filter(e -> e.status() != 200)
                .collect(java.util.stream.Collectors.groupingBy(e -> e.status(), java.util.stream.Collectors.counting())));
        if (micros.length > 0) {
            Percentiles p = new Percentiles(micros);
            r.put("round trip p50 / p95 / p99 / max ms", String.format("%.1f / %.1f / %.1f / %.1f",
                    p.at(50) / 1000.0, p.at(95) / 1000.0, p.at(99) / 1000.0, p.max() / 1000.0));
            r.put("p99 target <= 50 ms", p.at(99) / 1000.0 <= 50 ? "met" : "NOT met");
            double p99 = p.at(99) / 1000.0;
            r.put("p99 / reference pair p99 (target <= 2)", String.format("%.1f / %.1f = %.2f", p99, referenceP99Ms,
                    p99 / referenceP99Ms));
            r.put("p99 / QoS 0 pair p99 (for comparison)",
                    String.format("%.1f / %.1f = %.2f", p99, referenceQos0P99Ms, p99 / referenceQos0P99Ms));
            if (pair != null) {
                r.put("reference pair during the unlock load, same rate: p50 / p99 / max ms", pair.summary());
                r.put("p99 / p99 of the pair during the load", String.format("%.2f", p99 / pair.p99Ms()));
            }
        }
        if (worlds.size() > 1) {
            Map<String, String> tenantOfCar = new java.util.HashMap<>();
            worlds.forEach(w -> w.cars().forEach(c -> tenantOfCar.put(c.id(), w.tenant())));
            r.put("executed per tenant", log.entries().stream().filter(e -> e.status() == 200)
                    .collect(java.util.stream.Collectors.groupingBy(e -> tenantOfCar.get(e.carId()), java.util.TreeMap::new,
                            java.util.stream.Collectors.counting())));
        }
        r.put("telemetry stored meanwhile (records/s)", Math.round(stored / seconds));
        Path backendData = deployment.fileStoreDir();
        List<Path> commandDocs = backendData == null ? List.of() : worlds.stream()
                .map(w -> backendData.resolve("tenants").resolve(w.tenant()).resolve("docs").resolve("commands")).toList();
        // the cars' instants from wherever the fleet runs: this JVM, or each fleet process writes its own
        Map<String, UnlockBreakdown.CarInstants> onCars = fleet.commandInstants(o.workDir());
        UnlockBreakdown breakdown = UnlockBreakdown.ofInstants(log.entries(),
                (carId, commandId) -> java.util.Optional.ofNullable(onCars.get(commandId)),
                id -> commandDocs.stream().map(dir -> backendInstants(dir, id)).flatMap(java.util.Optional::stream).findFirst());
        r.put("where the time went", breakdown.report());
        try {
            Path csv = o.workDir().resolve("unlock-commands.csv");
            Files.writeString(csv, breakdown.csv());
            r.put("each command's instants (µs from the request)", csv.toString());
            // Every command, also where the car's instants are unknown (fleet in other processes): when it was sent
            // and what it took, to line the slow ones up with the replicas' and the store's logs.
            Path trips = o.workDir().resolve("unlock-round-trips.csv");
            Files.writeString(trips, roundTrips(log.entries()));
            r.put("each command's round trip", trips.toString());
        } catch (IOException e) {
            out.println("unlock-commands.csv not written: " + e);
        }
        put("unlock", r);
    }

    /** The backend's {@code issuedAt} / {@code receivedAt} / {@code answeredAt} of a command, from its record in the file store. */
    private static java.util.Optional<UnlockBreakdown.BackendInstants> backendInstants(Path commandDocs, String id) {
        try {
            var doc = io.latchkey.protocol.Json.mapper().readTree(Files.readAllBytes(commandDocs.resolve(id + ".json")));
            if (!doc.hasNonNull("issuedAt") || !doc.hasNonNull("answeredAt")) {
                return java.util.Optional.empty();
            }
            return java.util.Optional.of(new UnlockBreakdown.BackendInstants(java.time.Instant.parse(doc.get("issuedAt").asText()),
                    doc.hasNonNull("receivedAt") ? java.time.Instant.parse(doc.get("receivedAt").asText()) : null,
                    java.time.Instant.parse(doc.get("answeredAt").asText())));
        } catch (IOException | RuntimeException e) {
            return java.util.Optional.empty();
        }
    }

    /**
     * The same load for 20 s, not counted, on the last cars of the fleet: the command path (backend, the agents'
     * command code, the HTTP client) runs for the first time here, and its first commands are slow while the JIT
     * compiles it (41-116 ms for the first one). With 5 s (50 commands) the slowest commands of a run still
     * clustered in its first seconds (4 of the 6 slowest within 5 s of the start, 2026-12-06 10:32): a running backend
     * is warm, and the broker reference is measured over 4,100 round trips after leaving out its first 50.
     */
    private void warmUp(LatchkeyClient api, List<FleetSetup.Result> worlds) {
        // the last cars of each tenant, as many from each, every tenant's path warmed
        int each = (WARM_UP_CARS + worlds.size() - 1) / worlds.size();
        List<List<String>> cars = carIds(worlds).stream().map(ids -> ids.subList(ids.size() - Math.min(ids.size(), each),
                ids.size())).toList();
        CommandLog log = new CommandLog();
        try (Loads load = new Loads(api, worlds, cars, log)) {
            load.start(o.commandsPerSecond());
            sleep(warmUpSeconds * 1000L);
        }
        put("unlock warm-up (not counted): commands sent / executed", log.entries().size() + " / "
                + log.entries().stream().filter(e -> e.status() == 200).count());
    }

    /** The reference pair, paced like the commands, alongside them; null (and said) if it cannot connect. */
    private PairDuringLoad pairDuringLoad(String brokerUrl) {
        try {
            return new PairDuringLoad(brokerUrl, 400);
        } catch (Exception e) {
            out.println("reference pair during the unlock load not measured: " + e);
            return null;
        }
    }

    private void reconnectStorm(BenchFleet fleet, io.latchkey.simulator.broker.BrokerControl broker, ProcessSampler sampler,
                                String phase, int downtimeSeconds) {
        out.printf("%s: broker killed for %d s, then started again%n", phase, downtimeSeconds);
        sampler.startPhase();
        broker.stop();
        sleep(downtimeSeconds * 1000L);
        long backlogStart = fleet.pendingRecords();
        fleet.mark();
        long t0 = System.nanoTime();
        broker.start();
        double brokerUp = seconds(t0);
        double allConnected = -1;
        double drained = -1;
        int connected = 0;
        ReconnectCurve curve = new ReconnectCurve(fleet.size(), 0);
        long deadline = System.nanoTime() + Duration.ofSeconds(300).toNanos();
        while (System.nanoTime() < deadline && drained < 0) {
            if (allConnected < 0) {
                connected = fleet.connected();
                curve.add((System.nanoTime() - t0) / 1e9, connected);
                if (connected == fleet.size()) {
                    allConnected = seconds(t0);
                }
            }
            // Drained: everything each car had recorded when the broker came back is receipted, i.e. the
            // backend has durably stored it (a receipt is sent only then), car by car, not by count.
            if (allConnected >= 0 && fleet.drainedSinceMark()) {
                drained = seconds(t0);
            }
            sleep(250);
        }
        usage(phase, sampler.endPhase());
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("broker downtime (s)", downtimeSeconds);
        r.put("records waiting in journals when the broker came back", backlogStart);
        r.put("broker accepting connections after (s)", brokerUp);
        r.put("all cars connected after (s)", allConnected < 0 ? "NOT within 300 s (" + connected + " connected)" : allConnected);
        r.putAll(curve.figures());
        r.put("all journals drained and stored after (s)", drained < 0 ? "NOT within 300 s" : drained);
        r.put("target <= 30 s", drained >= 0 && drained <= 30 ? "met" : "NOT met");
        put(phase, r);
    }

    private void ingestion(BenchFleet fleet, io.latchkey.simulator.broker.BrokerControl broker, RecordCounter store,
                           ProcessSampler sampler) {
        out.println("ingestion: every car drives (a record every 200 ms)");
        fleet.drive(40);
        sleep(10_000);
        sampler.startPhase();
        long before = store.count();
        long t0 = System.nanoTime();
        sleep(30_000);
        double liveRate = (store.count() - before) / seconds(t0);
        usage("ingestion live", sampler.endPhase());
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("offered (records/s, 5 per car)", fleet.size() * 5);
        r.put("stored live (records/s, from the store)", Math.round(liveRate));

        out.printf("ingestion backlog: broker down %d s while every car drives%n", o.backlogSeconds());
        sampler.startPhase();
        broker.stop();
        sleep(o.backlogSeconds() * 1000L);
        long backlog = fleet.pendingRecords();
        long base = store.count();
        fleet.mark();
        broker.start();
        List<long[]> marks = new ArrayList<>();
        long start = System.nanoTime();
        long deadline = start + Duration.ofSeconds(600).toNanos();
        while (System.nanoTime() < deadline) {
            marks.add(new long[] {System.nanoTime(), store.mark()});
            if (fleet.drainedSinceMark()) {
                break;
            }
            sleep(500);
        }
        usage("ingestion backlog", sampler.endPhase());
        List<long[]> samples;
        try {
            samples = IngestionCapacity.resolve(store, marks);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        double peak = IngestionCapacity.best5s(samples);
        long drainedRecords = samples.get(samples.size() - 1)[1] - base;
        double drainSeconds = (samples.get(samples.size() - 1)[0] - start) / 1e9;
        r.put("backlog in journals when the broker came back (records)", backlog);
        r.put("drain: records stored / seconds", drainedRecords + " / " + Math.round(drainSeconds * 10) / 10.0);
        r.put("drain average (records/s)", Math.round(drainedRecords / Math.max(0.1, drainSeconds)));
        r.put("highest sustained over 5 s (records/s, from the store)", Math.round(peak));
        r.put("target >= 20,000 records/s", peak >= 20_000 ? "met" : "NOT met");
        put("ingestion", r);
        fleet.drive(0);
    }

    private void audit(BenchFleet fleet, TenantCounters store, String title) throws IOException {
        out.println("audit: every sequence number of every car, store vs. journals; relay activations vs. answers");
        // Snapshot every journal first, then give the backend a moment to store what the broker had
        // acknowledged by then: anything acknowledged before the snapshot and still missing is lost.
        Map<String, long[]> snapshot = fleet.journals();
        sleep(5_000);
        long lost = 0, dup = 0, stored = 0, assigned = 0, afterExpiry = 0, unexplained = 0, activations = 0;
        List<String> issues = new ArrayList<>();
        Map<String, long[]> byTenant = new java.util.TreeMap<>();
        io.latchkey.simulator.fleet.Fleet local = fleet.local();
        long deadline = System.nanoTime() + Duration.ofSeconds(AUDIT_LIMIT_SECONDS).toNanos();
        int audited = 0;
        for (Map.Entry<String, long[]> e : snapshot.entrySet()) {
            if (System.nanoTime() > deadline) {
                break;
            }
            audited++;
            String deviceId = e.getKey();
            TelemetryAudit.Result t = TelemetryAudit.check(deviceId, store.seqs(deviceId), e.getValue()[0], e.getValue()[1], false);
            lost += t.lostCount();
            dup += t.duplicatedCount();
            long[] tenant = byTenant.computeIfAbsent(store.tenantOf(deviceId), k -> new long[3]);
            tenant[0] += t.stored();
            tenant[1] += t.lostCount();
            tenant[2] += t.duplicatedCount();
            stored += t.stored();
            assigned += t.lastSeq();
            if (!t.clean() && issues.size() < 10) {
                issues.add(deviceId + ": lost " + t.lost() + ", duplicated " + t.duplicatedCount());
            }
            if (local != null) {
                SimulatedCar car = local.car(deviceId);
                CarLedger ledger = local.ledger(deviceId);
                CommandAudit.Result c = CommandAudit.check(deviceId, car.activations(), ledger.answers(), ledger.received());
                afterExpiry += c.executedAfterExpiry();
                unexplained += c.unexplained();
                activations += c.activations();
            }
        }
        Map<String, Object> r = new LinkedHashMap<>();
        if (audited < snapshot.size()) {
            r.put("cars audited", audited + " of " + snapshot.size() + ": the store's answers took more than "
                    + AUDIT_LIMIT_SECONDS + " s for the rest");
        }
        r.put("sequence numbers assigned by the cars", assigned);
        r.put("records in the store (also those stored after the snapshot)", stored);
        r.put("lost", lost);
        r.put("duplicated in the store", dup);
        if (byTenant.size() > 1) {
            Map<String, String> tenants = new LinkedHashMap<>();
            byTenant.forEach((tenant, n) -> tenants.put(tenant, n[0] + " / " + n[1] + " / " + n[2]));
            r.put("per tenant, each in its own store: stored / lost / duplicated", tenants);
        }
        if (local != null) {
            r.put("relay activations", activations);
            r.put("executed after expiry", afterExpiry);
            r.put("activations without an answer", unexplained);
        } else {
            r.put("relay activations", "not audited: the cars run in other processes");
        }
        if (!issues.isEmpty()) {
            r.put("issues", issues);
        }
        put(title, r);
    }

    private void usage(String phase, Map<String, ProcessSampler.Usage> u) {
        report.usage(phase, u);
        out.println("  => resources during " + phase + " (peak RSS MB, CPU % of one core): " + u);
    }

    /** Records a result and prints it at once, so that a run cut short still shows what it measured. */
    private void put(String key, Object value) {
        report.put(key, value);
        out.println("  => " + key + ": " + value);
    }

    private ScenarioSpec faultSpec() {
        return new ScenarioSpec("bench-faults", o.faultCars(), o.faultSeconds(), o.seed(), 0,
                new ScenarioSpec.Telemetry(2, 5),
                new ScenarioSpec.People(Math.min(50, o.faultCars() / 4), 10, 5, 10, 2, 5, 2.0), ScenarioSpec.Rentals.none(),
                List.of(new FaultSpec(FaultSpec.Type.CONNECTIVITY_LOSS, 10.0, 20.0, "30%", null, null),
                        new FaultSpec(FaultSpec.Type.AGENT_RESTART, 25.0, 3.0, "10%", null, null),
                        new FaultSpec(FaultSpec.Type.BROKER_RESTART, Math.min(40.0, o.faultSeconds() * 0.66), 3.0, "all", null, null),
                        new FaultSpec(FaultSpec.Type.GNSS_LOST, 5.0, 20.0, "10%", null, null),
                        new FaultSpec(FaultSpec.Type.LOW_VOLTAGE, 5.0, 20.0, "5%", 11.3, null),
                        new FaultSpec(FaultSpec.Type.CLOCK_SKEW, 0.0, 0.0, "5%", null, 2.0))).validate();
    }





    private static double seconds(long since) {
        return Math.round((System.nanoTime() - since) / 1e8) / 10.0;
    }

    private static void sleep(long millis) {
        ChildProcess.sleep(millis);
    }

    private static String password() {
        byte[] b = new byte[18];
        new SecureRandom().nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    /** One line per command: sent at (UTC), car, HTTP status, round trip in ms. */
    static String roundTrips(List<CommandLog.Entry> entries) {
        StringBuilder b = new StringBuilder("sent_at,car,command,status,round_trip_ms\n");
        for (var e : entries) {
            b.append(e.sentAt()).append(',').append(e.carId()).append(',').append(e.commandId()).append(',')
                    .append(e.status()).append(',').append(String.format(Locale.ROOT, "%.1f", e.roundTripMicros() / 1000.0))
                    .append('\n');
        }
        return b.toString();
    }
}
