package io.latchkey.simulator.rollout;

import io.latchkey.agent.config.AgentConfig;
import io.latchkey.agent.ota.OtaSettings;
import io.latchkey.agent.ota.Slots;
import io.latchkey.simulator.car.CarFactory;
import io.latchkey.simulator.car.CarProfiles;
import io.latchkey.simulator.car.SimulatedCar;
import io.latchkey.simulator.fleet.Fleet;
import io.latchkey.simulator.fleet.Releases;
import io.latchkey.simulator.route.GeoPoint;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * {@code sim rollout} (docs/simulator.md, "Rollouts"): a fleet of real agents takes part in an over-the-air update for
 * real — each car has the tenant's update key pinned, its own A/B slots under its data directory, the agent's
 * {@code OtaService}, and every (re)start goes through the launcher's twin. A rollout in waves (by the backend's API or
 * the simulator's stand-in) offers a small signed release; a share of the cars has a bad build of it (crashes at start,
 * exits 2, or never passes its self-test) and a share has its power cut at a random step of the install or mark-good.
 * Then it checks: the rollout halts at the first wave over the threshold; every bad device that got the release is back
 * on the previous version by itself ({@code ROLLED_BACK}); no good device is left between versions; no car in an active
 * rental was touched. And it measures the time to update, the bytes per device and the rollback time.
 */
public final class FleetRollout {
    public static final String OLD_VERSION = "1.0.0";
    public static final String NEW_VERSION = "1.1.0";
    private static final GeoPoint CENTRE = new GeoPoint(52.52, 13.405);

    /**
     * @param cars             fleet size
     * @param waves            cumulative percentages of the cars per wave
     * @param failureThreshold % of a wave's devices that may fail before the rollout halts
     * @param badBuilds        share of cars with a bad build of the new release (0..1)
     * @param powerCuts        share of cars whose power is cut during the install or mark-good (0..1)
     * @param rentals          share of cars in an active rental during the rollout (0..1)
     * @param selfTestTimeout  the agents' {@code ota.selftest-timeout}
     * @param restartDelay     systemd's {@code RestartSec} in the simulation, and the length of a power cut
     * @param deviceTimeout    the rollout's time-out per device
     * @param seed             which cars are bad, cut, rented
     * @param workDir          agents' data directories, the release, the report
     */
    public record Options(int cars, List<Integer> waves, int failureThreshold, double badBuilds, double powerCuts, double rentals,
                          Duration selfTestTimeout, Duration restartDelay, Duration deviceTimeout, long seed, Path workDir) {
    }

    /** What a control needs to start: the fleet's tenant, its cars' configs. */
    public interface Setup {
        /** The tenant the release is for. */
        String tenant();

        /** The update key's id and public half to pin in the cars (registered with the backend if there is one). */
        void updateKey(String keyId, String publicKey) throws Exception;

        /** The agent configs of the cars, without update keys and OTA settings; the car id of each device. */
        List<AgentConfig> configs(Path agentsDir) throws Exception;

        String carId(String deviceId);

        /** The car is in an active rental from now on (the backend, if any, is told by a booking). */
        default void rent(String deviceId) throws Exception {
        }

        RolloutControl control() throws Exception;
    }

    /** Outcome: the checks (name → failures, empty if it held) and the measurements. */
    public record Result(Map<String, List<String>> checks, Map<String, Object> measures) {
        public boolean ok() {
            return checks.values().stream().allMatch(List::isEmpty);
        }
    }

    private final Options o;
    private final PrintStream out;
    private final Clock clock = Clock.systemUTC();

    public FleetRollout(Options options, PrintStream out) {
        this.o = options;
        this.out = out;
    }

    public Result run(Setup setup) throws Exception {
        Files.createDirectories(o.workDir());
        SplittableRandom random = new SplittableRandom(o.seed());
        java.security.KeyPair updateKey = io.latchkey.protocol.Keys.newCommandKeyPair();
        String keyId = "upd-sim-1";
        setup.updateKey(keyId, io.latchkey.protocol.Keys.encodePublic(updateKey.getPublic()));
        Path factory = SyntheticRelease.factory(o.workDir().resolve("factory"), OLD_VERSION);
        SyntheticRelease.Bundle bundle = SyntheticRelease.bundle(o.workDir(), setup.tenant(), NEW_VERSION, keyId, updateKey.getPrivate());
        out.printf("release %s: bundle %d bytes (sha256 %s…), signed with %s%n", bundle.version(), bundle.size(),
                bundle.sha256().substring(0, 12), keyId);

        List<AgentConfig> configs = setup.configs(o.workDir().resolve("agents"));
        List<String> ids = configs.stream().map(AgentConfig::deviceId).toList();
        List<String> shuffled = new ArrayList<>(ids);
        Collections.shuffle(shuffled, new java.util.Random(o.seed()));
        int rentalCount = (int) Math.round(o.rentals() * ids.size());
        Set<String> rented = Set.copyOf(shuffled.subList(0, rentalCount));
        List<String> others = shuffled.subList(rentalCount, shuffled.size());
        int badCount = (int) Math.round(o.badBuilds() * ids.size());
        Map<String, Releases.BadBuild> bad = new HashMap<>();
        Releases.BadBuild[] kinds = {Releases.BadBuild.CRASH, Releases.BadBuild.HANG, Releases.BadBuild.EXIT_2};
        // the kinds take turns in the order the rollout reaches the cars, so a wave with two bad builds has both kinds
        List<String> badCars = new ArrayList<>(others.subList(0, Math.min(badCount, others.size())));
        badCars.sort(java.util.Comparator.comparingInt(ids::indexOf));
        for (int i = 0; i < badCars.size(); i++) {
            bad.put(badCars.get(i), kinds[i % kinds.length]);
        }
        List<String> cutCandidates = new ArrayList<>(others);
        Collections.shuffle(cutCandidates, new java.util.Random(o.seed() + 1));
        Map<String, String> cuts = new HashMap<>();
        for (int i = 0; i < Math.round(o.powerCuts() * ids.size()) && i < cutCandidates.size(); i++) {
            cuts.put(cutCandidates.get(i), Releases.POWER_CUT_STEPS.get(random.nextInt(Releases.POWER_CUT_STEPS.size())));
        }
        Map<String, List<Releases.Event>> events = new ConcurrentHashMap<>();
        Releases releases = new Releases(factory, OLD_VERSION, 3, o.restartDelay(), new Releases.Faults() {
            @Override
            public Releases.BadBuild badBuild(String deviceId, String version) {
                return NEW_VERSION.equals(version) ? bad.getOrDefault(deviceId, Releases.BadBuild.NONE) : Releases.BadBuild.NONE;
            }

            @Override
            public String powerCutAt(String deviceId) {
                return cuts.get(deviceId);
            }
        }, e -> events.computeIfAbsent(e.deviceId(), k -> Collections.synchronizedList(new ArrayList<>())).add(e));

        OtaSettings ota = new OtaSettings(LocalTime.MIDNIGHT, LocalTime.MIDNIGHT, ZoneOffset.UTC, o.selfTestTimeout(),
                OtaSettings.DEFAULT_BYTES_PER_DAY, 5, Duration.ofSeconds(1), Duration.ofSeconds(10), Duration.ofSeconds(2));
        CarFactory cars = new CarFactory(new CarProfiles(), CENTRE, 3_000, clock, Duration.ZERO, o.seed());
        Map<String, Object> measures = new LinkedHashMap<>();
        Map<String, List<String>> checks = new LinkedHashMap<>();
        measures.put("cars", ids.size());
        measures.put("machine", Runtime.getRuntime().availableProcessors() + " cores, java " + Runtime.version());
        measures.put("bundle bytes", bundle.size());
        measures.put("bad builds", bad.size() + " (" + bad.values().stream().collect(Collectors.groupingBy(Enum::name, TreeMap::new,
                Collectors.counting())) + ")");
        measures.put("power cuts planned", cuts.size());
        measures.put("cars in an active rental", rented.size());
        try (Fleet fleet = new Fleet(new Fleet.Options(clock, Duration.ofSeconds(1), 2, 2, 8, o.seed())).releases(releases);
             RolloutControl control = setup.control()) {
            long t0 = System.nanoTime();
            for (int i = 0; i < configs.size(); i++) {
                AgentConfig c = configs.get(i).toBuilder().updateKey(keyId, updateKey.getPublic()).ota(ota).build();
                fleet.add(c, cars.create(c.deviceId(), i));
            }
            boolean connected = fleet.awaitConnected(Duration.ofSeconds(Math.max(60, ids.size() / 5)));
            out.printf("%d agents started from the factory release %s%s in %.1f s%n", ids.size(), OLD_VERSION,
                    connected ? " and connected" : " (NOT all connected)", (System.nanoTime() - t0) / 1e9);
            for (String id : rented) {
                SimulatedCar car = fleet.car(id);
                car.keyInHolder(true);
                car.ignition(true);
                car.drive(30);
                setup.rent(id);
            }
            Thread.sleep(1_000); // the rented cars' agents see them moving

            RolloutControl.Plan plan = new RolloutControl.Plan(bundle, ids.stream().map(setup::carId).toList(), o.waves(),
                    o.failureThreshold(), o.deviceTimeout());
            Instant started = clock.instant();
            long s0 = System.nanoTime();
            String id = control.start(plan);
            out.printf("rollout %s: %d cars, waves %s %%, threshold %d %%, device time-out %s%n", id, ids.size(), o.waves(),
                    o.failureThreshold(), o.deviceTimeout());
            RolloutControl.View view = watch(control);
            double rolloutSeconds = (System.nanoTime() - s0) / 1e9;
            settle(fleet, control);
            List<RolloutControl.Device> devices = control.devices();
            Function<String, String> carOf = setup::carId;
            Map<String, RolloutControl.Device> byDevice = new HashMap<>();
            for (RolloutControl.Device d : devices) {
                byDevice.put(d.deviceId() != null ? d.deviceId() : d.carId(), d);
            }

            checks.put("the rollout halts at the first wave over the threshold (and only then)", haltCheck(view));
            checks.put("every bad device that got the release is back on the previous version by itself (ROLLED_BACK)",
                    badCheck(fleet, bad, byDevice));
            checks.put("no good device is left between versions (old or new, none on trial, UPDATED runs the new one)",
                    goodCheck(fleet, ids, bad.keySet(), byDevice));
            checks.put("no car in an active rental was touched", rentalCheck(fleet, rented, events, byDevice));
            checks.put("every power cut was followed by a start through the launcher", cutCheck(cuts, events));

            measures.put("rollout state", view.state() + (view.state().equals("HALTED") ? " in wave " + (haltedWave(view) + 1)
                    : view.state().equals("RUNNING") ? " (every car done but the deferred ones, in a rental)" : ""));
            measures.put("waves", view.waves().stream().map(w -> (w.index() + 1) + ": " + w.cars() + " cars " + w.state() + " " + w.counts())
                    .toList());
            measures.put("device states when the rollout ended", view.counts());
            measures.put("device states after the halted wave's devices settled", devices.stream()
                    .collect(Collectors.groupingBy(RolloutControl.Device::state, TreeMap::new, Collectors.counting())));
            measures.put("rollout watched until over (s)", round(rolloutSeconds));
            List<Instant> updatedAt = devices.stream().filter(d -> "UPDATED".equals(d.state()) && d.at() != null)
                    .map(RolloutControl.Device::at).sorted().toList();
            measures.put("devices UPDATED", updatedAt.size());
            if (!updatedAt.isEmpty()) {
                measures.put("time to update every UPDATED device, from the rollout's start (s)",
                        round(Duration.between(started, updatedAt.get(updatedAt.size() - 1)).toMillis() / 1000.0));
                measures.put("time to update: half of them (s)",
                        round(Duration.between(started, updatedAt.get(updatedAt.size() / 2)).toMillis() / 1000.0));
            }
            long[] downloaded = ids.stream().mapToLong(d -> downloaded(fleet.otaDir(d))).filter(b -> b > 0).sorted().toArray();
            if (downloaded.length > 0) {
                measures.put("bundle bytes downloaded per device that downloaded (the agents' download-budget): median / max / devices",
                        downloaded[downloaded.length / 2] + " / " + downloaded[downloaded.length - 1] + " / " + downloaded.length);
            }
            Map<String, Long> served = control.bytesServed();
            if (!served.isEmpty()) {
                long[] b = served.values().stream().mapToLong(Long::longValue).sorted().toArray();
                measures.put("bundle bytes served per device: median / max", b[b.length / 2] + " / " + b[b.length - 1]);
            }
            if (control instanceof LocalRollouts local) {
                long[] m = local.messageBytes();
                long offered = devices.stream().filter(d -> !"PENDING".equals(d.state()) && !"SKIPPED".equals(d.state())).count();
                if (offered > 0) {
                    measures.put("MQTT bytes per offered device: offer / statuses", m[0] / offered + " / " + m[1] / offered);
                }
            }
            measures.put("rollback time from the trial's first start to the previous release running again (s), by bad build",
                    rollbackTimes(bad, events));
            measures.put("power cuts made", events.values().stream().flatMap(List::stream).filter(e -> e.kind().equals("POWER_CUT"))
                    .collect(Collectors.groupingBy(Releases.Event::detail, TreeMap::new, Collectors.counting())));
            Objects.requireNonNull(carOf);
        }
        return new Result(checks, measures);
    }

    /** The bytes the agent counted against its daily budget ({@code ota/download-budget}: "DAY BYTES"). */
    private static long downloaded(Path ota) {
        try {
            String[] parts = Files.readString(ota.resolve("download-budget")).strip().split(" ");
            return parts.length == 2 ? Long.parseLong(parts[1]) : 0;
        } catch (java.io.IOException | NumberFormatException e) {
            return 0;
        }
    }

    private RolloutControl.View watch(RolloutControl control) throws Exception {
        String last = "";
        long deadline = System.nanoTime() + Duration.ofMinutes(30).toNanos();
        while (true) {
            RolloutControl.View v = control.view();
            String line = v.state() + " " + v.waves().stream().map(w -> w.state() + w.counts()).toList();
            if (!line.equals(last)) {
                out.printf("  %s  %s%n", Instant.now(), line);
                last = line;
            }
            if (v.isOver() || System.nanoTime() > deadline || onlyDeferredLeft(control)) {
                return v;
            }
            Thread.sleep(500);
        }
    }

    /**
     * Every device is done but the deferred ones (cars in a rental): the backend keeps such a rollout running until they
     * are free or time out after days ({@code latchkey.ota.max-deferral}); the simulation stops watching there.
     */
    private static boolean onlyDeferredLeft(RolloutControl control) throws Exception {
        List<RolloutControl.Device> ds = control.devices();
        return !ds.isEmpty() && ds.stream().anyMatch(d -> "DEFERRED".equals(d.state())) && ds.stream().allMatch(d -> switch (d.state()) {
            case "DEFERRED", "SKIPPED", "UPDATED", "FAILED", "ROLLED_BACK", "TIMED_OUT" -> true;
            default -> false;
        });
    }

    /**
     * After the rollout is over, the devices of a halted wave may still be rolling back: wait (bounded by the device
     * time-out and the self-test time) until every car runs and none is on trial, and every offered device is final.
     */
    private void settle(Fleet fleet, RolloutControl control) throws Exception {
        long deadline = System.nanoTime() + o.deviceTimeout().plus(o.selfTestTimeout()).plus(o.restartDelay().multipliedBy(5)).toNanos();
        while (System.nanoTime() < deadline) {
            boolean quiet = fleet.deviceIds().stream().allMatch(id -> fleet.launched(id) != null
                    && new Slots(fleet.otaDir(id)).trial().isEmpty());
            boolean reported = control.devices().stream().allMatch(d -> switch (d.state()) {
                case "PENDING", "SKIPPED", "DEFERRED", "UPDATED", "FAILED", "ROLLED_BACK", "TIMED_OUT" -> true;
                default -> false;
            });
            if (quiet && reported) {
                return;
            }
            Thread.sleep(500);
        }
        out.println("  (not every car settled within the device time-out; the checks say which)");
    }

    private List<String> haltCheck(RolloutControl.View view) {
        List<String> failures = new ArrayList<>();
        int halted = haltedWave(view);
        for (RolloutControl.Wave w : view.waves()) {
            int failed = count(w, "FAILED", "ROLLED_BACK", "TIMED_OUT");
            int offered = w.cars() - count(w, "PENDING", "SKIPPED");
            boolean over = offered > 0 && failed * 100.0 / offered > o.failureThreshold();
            if (halted < 0 || w.index() < halted) {
                if (over) {
                    failures.add("wave " + (w.index() + 1) + " is over the threshold (" + failed + " of " + offered + ") but the rollout went on");
                }
            } else if (w.index() == halted) {
                if (!over) {
                    failures.add("the rollout halted in wave " + (w.index() + 1) + ", which is not over the threshold (" + failed + " of " + offered + ")");
                }
            } else if (offered > 0) {
                failures.add("wave " + (w.index() + 1) + " after the halted one had " + offered + " device(s) offered the release");
            }
        }
        boolean deferredOnly = "RUNNING".equals(view.state()) && view.counts().keySet().stream().allMatch(st -> switch (st) {
            case "DEFERRED", "SKIPPED", "UPDATED", "FAILED", "ROLLED_BACK", "TIMED_OUT" -> true;
            default -> false;
        });
        if (halted < 0 && !"COMPLETED".equals(view.state()) && !deferredOnly) {
            failures.add("the rollout ended " + view.state() + ", neither halted nor completed");
        }
        return failures;
    }

    private static int haltedWave(RolloutControl.View view) {
        if (!"HALTED".equals(view.state())) {
            return -1;
        }
        return view.waves().stream().filter(w -> "HALTED".equals(w.state())).mapToInt(RolloutControl.Wave::index).findFirst()
                .orElse(view.waves().stream().filter(w -> w.cars() - count(w, "PENDING") > 0).mapToInt(RolloutControl.Wave::index).max().orElse(-1));
    }

    private static int count(RolloutControl.Wave w, String... states) {
        int n = 0;
        for (String s : states) {
            n += w.counts().getOrDefault(s, 0);
        }
        return n;
    }

    private List<String> badCheck(Fleet fleet, Map<String, Releases.BadBuild> bad, Map<String, RolloutControl.Device> byDevice) {
        List<String> failures = new ArrayList<>();
        for (Map.Entry<String, Releases.BadBuild> e : bad.entrySet()) {
            String id = e.getKey();
            RolloutControl.Device d = byDevice.get(id);
            Fleet.Launched l = fleet.launched(id);
            Slots slots = new Slots(fleet.otaDir(id));
            boolean offered = d != null && !"PENDING".equals(d.state()) && !"SKIPPED".equals(d.state());
            if (l == null || !OLD_VERSION.equals(l.version()) || slots.trial().isPresent()) {
                failures.add(id + " (" + e.getValue() + "): runs " + (l == null ? "nothing" : l.mode() + " " + l.version())
                        + (slots.trial().isPresent() ? ", still on trial" : ""));
            } else if (offered && !"ROLLED_BACK".equals(d.state())) {
                failures.add(id + " (" + e.getValue() + "): reported " + d.state() + " " + d.reason() + ", not ROLLED_BACK");
            }
        }
        return failures;
    }

    private List<String> goodCheck(Fleet fleet, List<String> ids, Set<String> bad, Map<String, RolloutControl.Device> byDevice) {
        List<String> failures = new ArrayList<>();
        for (String id : ids) {
            if (bad.contains(id)) {
                continue;
            }
            Fleet.Launched l = fleet.launched(id);
            Slots slots = new Slots(fleet.otaDir(id));
            RolloutControl.Device d = byDevice.get(id);
            if (l == null) {
                failures.add(id + ": not running");
            } else if (slots.trial().isPresent()) {
                failures.add(id + ": still on trial (" + l.version() + ")");
            } else if (!OLD_VERSION.equals(l.version()) && !NEW_VERSION.equals(l.version())) {
                failures.add(id + ": runs " + l.version());
            } else if (d != null && "UPDATED".equals(d.state()) && !NEW_VERSION.equals(l.version())) {
                failures.add(id + ": reported UPDATED but runs " + l.version());
            } else if (NEW_VERSION.equals(l.version())
                    && !slots.current().flatMap(Slots::versionOf).map(NEW_VERSION::equals).orElse(false)) {
                failures.add(id + ": runs " + NEW_VERSION + " but it is not marked good (current)");
            }
        }
        return failures;
    }

    private List<String> rentalCheck(Fleet fleet, Set<String> rented, Map<String, List<Releases.Event>> events,
                                     Map<String, RolloutControl.Device> byDevice) {
        List<String> failures = new ArrayList<>();
        for (String id : rented) {
            Fleet.Launched l = fleet.launched(id);
            Slots slots = new Slots(fleet.otaDir(id));
            long starts = events.getOrDefault(id, List.of()).stream().filter(e -> e.kind().equals("START")).count();
            RolloutControl.Device d = byDevice.get(id);
            if (l == null || !OLD_VERSION.equals(l.version()) || starts != 1 || slots.trial().isPresent() || slots.current().isPresent()
                    || slots.pending().isPresent()) {
                failures.add(id + ": " + (l == null ? "not running" : "runs " + l.version()) + ", started " + starts + " time(s)"
                        + (slots.pending().isPresent() ? ", an install was begun" : ""));
            } else if (d != null && List.of("INSTALLING", "UPDATED", "ROLLED_BACK").contains(d.state())) {
                failures.add(id + ": reported " + d.state());
            }
        }
        return failures;
    }

    private static List<String> cutCheck(Map<String, String> cuts, Map<String, List<Releases.Event>> events) {
        List<String> failures = new ArrayList<>();
        for (String id : cuts.keySet()) {
            List<Releases.Event> es = events.getOrDefault(id, List.of());
            synchronized (es) {
                for (int i = 0; i < es.size(); i++) {
                    if (es.get(i).kind().equals("POWER_CUT") && es.subList(i, es.size()).stream().noneMatch(e -> e.kind().equals("START"))) {
                        failures.add(id + ": power cut at " + es.get(i).detail() + " and never started again");
                    }
                }
            }
        }
        return failures;
    }

    private static Map<String, String> rollbackTimes(Map<String, Releases.BadBuild> bad, Map<String, List<Releases.Event>> events) {
        Map<Releases.BadBuild, List<Long>> byKind = new TreeMap<>();
        for (Map.Entry<String, Releases.BadBuild> e : bad.entrySet()) {
            List<Releases.Event> es = events.getOrDefault(e.getKey(), List.of());
            synchronized (es) {
                Instant trial = null;
                for (Releases.Event ev : es) {
                    if (ev.kind().equals("START") && ev.detail().startsWith("trial") && trial == null) {
                        trial = ev.at();
                    } else if (ev.kind().equals("START") && trial != null && !ev.detail().startsWith("trial")) {
                        byKind.computeIfAbsent(e.getValue(), k -> new ArrayList<>()).add(Duration.between(trial, ev.at()).toMillis());
                        break;
                    }
                }
            }
        }
        Map<String, String> out = new LinkedHashMap<>();
        byKind.forEach((k, v) -> {
            long[] ms = v.stream().mapToLong(Long::longValue).sorted().toArray();
            out.put(k.name(), v.size() + " device(s): median " + round(ms[ms.length / 2] / 1000.0) + ", max " + round(ms[ms.length - 1] / 1000.0));
        });
        return out;
    }

    private static double round(double v) {
        return Math.round(v * 10) / 10.0;
    }
}
