package io.latchkey.simulator.scenario;

import io.latchkey.agent.config.AgentConfig;
import io.latchkey.simulator.api.ApiTypes.CarDetail;
import io.latchkey.simulator.api.LatchkeyClient;
import io.latchkey.simulator.audit.CommandAudit;
import io.latchkey.simulator.audit.FleetAudit;
import io.latchkey.simulator.audit.TelemetryAudit;
import io.latchkey.simulator.broker.BrokerControl;
import io.latchkey.simulator.car.CarFactory;
import io.latchkey.simulator.car.CarProfiles;
import io.latchkey.simulator.fleet.Fleet;
import io.latchkey.simulator.net.FleetNetwork;
import io.latchkey.simulator.people.Borrower;
import io.latchkey.simulator.people.CommandLoad;
import io.latchkey.simulator.people.CommandLog;
import io.latchkey.simulator.people.ImmobiliseDrill;
import io.latchkey.simulator.people.Operator;
import io.latchkey.simulator.people.RentalLog;
import io.latchkey.simulator.people.Renter;
import io.latchkey.simulator.route.GeoPoint;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Runs a {@link ScenarioSpec} against a backend: sets up a tenant and its people over the public API,
 * starts the fleet behind a {@link FleetNetwork}, lets borrowers and operators loose, plays the faults,
 * lifts them, waits for the fleet to drain, audits it and reports.
 */
public final class ScenarioRunner {
    /**
     * @param commandTimeout the backend's {@code latchkey.commands.timeout} (borrowers plan their bookings with it)
     * @param drainTimeout   how long the fleet may take to drain once faults are lifted
     */
    public record Options(String adminUser, String adminPassword, Path dataDir, Duration commandTimeout,
                          Duration drainTimeout) {
    }

    private static final GeoPoint CENTRE = new GeoPoint(52.5200, 13.4050);

    private final LatchkeyClient api;
    private final BrokerControl broker;
    private final Clock clock;
    private final PrintStream out;

    /** @param broker the broker to restart for broker-restart faults, or null when the simulator does not own it */
    public ScenarioRunner(LatchkeyClient api, BrokerControl broker, Clock clock, PrintStream out) {
        this.api = Objects.requireNonNull(api, "api");
        this.broker = broker;
        this.clock = clock;
        this.out = out;
    }

    public ScenarioReport run(ScenarioSpec spec, Options o) {
        out.printf("Scenario %s: %d cars for %d s against %s%n", spec.name(), spec.cars(), spec.durationSeconds(), api.baseUrl());
        io.latchkey.simulator.fleet.FileHandleBudget.require(spec.cars(), true);
        long setupStart = System.nanoTime();
        FleetSetup.Result world = new FleetSetup(api, clock, out).run(o.adminUser(), o.adminPassword(),
                tenantPrefix(spec.name()), spec.cars(), spec.people().borrowers() + spec.rentals().renters()
                        + spec.rentals().noShows() + spec.rentals().overdue());
        URI broker = URI.create(world.discovery().mqttUrl());
        try (FleetNetwork network = new FleetNetwork(broker.getHost(), broker.getPort());
             Fleet fleet = new Fleet(new Fleet.Options(clock, Duration.ofSeconds(1), 2, 2, 4, spec.seed()), network)) {
            startCars(spec, o, world, fleet);
            double setupSeconds = (System.nanoTime() - setupStart) / 1e9;
            out.printf("  %d agents connected through %s (set-up %.1f s)%n", fleet.size(), network.url(), setupSeconds);
            return play(spec, o, world, fleet, setupSeconds);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the fleet network", e);
        }
    }

    private void startCars(ScenarioSpec spec, Options o, FleetSetup.Result world, Fleet fleet) {
        CarFactory factory = new CarFactory(new CarProfiles(), CENTRE, 3_000, clock, Duration.ofMillis(spec.relayPulseMillis()),
                spec.seed());
        for (int i = 0; i < world.cars().size(); i++) {
            CarDetail car = world.cars().get(i);
            AgentConfig config = AgentConfigs.fromDiscovery(world.discovery(), world.device(car), o.dataDir(),
                    Duration.ofSeconds(spec.telemetry().movingSeconds()), Duration.ofSeconds(spec.telemetry().parkedSeconds()));
            fleet.add(config, factory.create(car.deviceId(), i));
        }
        if (!fleet.awaitConnected(Duration.ofSeconds(60 + spec.cars() / 20))) {
            throw new ScenarioException("not every agent connected to " + world.discovery().mqttUrl());
        }
    }

    private ScenarioReport play(ScenarioSpec spec, Options o, FleetSetup.Result world, Fleet fleet, double setupSeconds) {
        AtomicBoolean stop = new AtomicBoolean();
        CommandLog log = new CommandLog();
        SplittableRandom random = new SplittableRandom(spec.seed());
        List<Borrower> borrowers = new ArrayList<>();
        List<Operator> operators = new ArrayList<>();
        List<Thread> threads = new ArrayList<>();
        ScenarioSpec.People p = spec.people();
        Borrower.Habits habits = new Borrower.Habits(Duration.ofSeconds(p.tripSeconds()), Duration.ofSeconds(p.pauseSeconds()),
                Duration.ofSeconds(p.startWithinSeconds()), o.commandTimeout(), 3);
        for (int i = 0; i < p.borrowers(); i++) {
            CarDetail car = world.cars().get(i);
            Borrower b = new Borrower("b" + i, api, world.borrowers().get(i), world.tenant(),
                    List.of(new Borrower.Car(car.id(), fleet.car(car.deviceId()))), habits, clock, random.split(), log, stop::get);
            borrowers.add(b);
            threads.add(thread(b, "borrower-" + i));
        }
        RentalLog rentalLog = spec.rentals().any() ? new RentalLog() : null;
        for (int i = 0; i < p.operators(); i++) {
            Operator op = new Operator(api, world.operator(), world.tenant(), Duration.ofSeconds(p.operatorPollSeconds()),
                    random.split(), stop::get, rentalLog);
            operators.add(op);
            threads.add(thread(op, "operator-" + i));
        }
        List<Thread> rentalThreads = rentalLog == null ? List.of()
                : rentalPeople(spec, o, world, fleet, log, rentalLog, random, stop);
        int busy = p.borrowers() + spec.rentals().cars();
        List<String> parked = world.cars().subList(busy, world.cars().size()).stream().map(CarDetail::id).toList();
        CommandLoad load = p.commandsPerSecond() > 0 && !parked.isEmpty()
                ? new CommandLoad(api, world.operator(), world.tenant(), parked, log, clock) : null;

        FaultInjector faults = new FaultInjector(fleet, broker, fleet.deviceIds(), spec.faults(), spec.seed(), out);
        long start = System.nanoTime();
        threads.forEach(Thread::start);
        rentalThreads.forEach(Thread::start);
        if (load != null) {
            load.start(p.commandsPerSecond());
        }
        out.println("  running; faults:");
        faults.play(start, spec.durationSeconds());
        sleepUntil(start + spec.durationSeconds() * 1_000_000_000L);
        stop.set(true);
        if (load != null) {
            load.close();
        }
        joinAll(threads, o.commandTimeout().plusSeconds(2).multipliedBy(3).plusSeconds(30));
        if (!rentalThreads.isEmpty()) {
            out.println("  waiting for the rentals under way to end (and reservations to lapse)");
            joinAll(rentalThreads, RENTALS_FINISH);
        }
        faults.liftAll((System.nanoTime() - start) / 1e9);
        out.println("  faults lifted; waiting for the fleet to drain, then auditing");
        FleetAudit.Result audit = new FleetAudit(api, world.operator(), world.tenant(), fleet, world.cars()).run(o.drainTimeout());
        return report(spec, setupSeconds, faults, log, borrowers, operators, audit, rentalLog);
    }

    /** The longest the run waits, after its duration, for rentals under way to end and reservations to lapse. */
    private static final Duration RENTALS_FINISH = Duration.ofMinutes(4);

    /**
     * The rental people, each with a car of their own after the {@code people.borrowers}' cars: renters, no-shows,
     * overdue drivers, then the cars of the immobilise drills (one operator drills them one after another).
     */
    private List<Thread> rentalPeople(ScenarioSpec spec, Options o, FleetSetup.Result world, Fleet fleet, CommandLog log,
                                      RentalLog rentals, SplittableRandom random, AtomicBoolean stop) {
        ScenarioSpec.Rentals r = spec.rentals();
        Renter.Habits habits = new Renter.Habits(Duration.ofSeconds(r.bookingSeconds()), Duration.ofSeconds(r.tripSeconds()),
                Duration.ofSeconds(r.pauseSeconds()), Duration.ofSeconds(r.startWithinSeconds()), r.immediateShare(),
                r.openDoorShare(), Duration.ofSeconds(r.overdueBookingSeconds()), Duration.ofSeconds(r.overdueWaitSeconds()),
                Duration.ofSeconds(r.lapseGraceSeconds()), o.commandTimeout());
        List<Thread> threads = new ArrayList<>();
        int person = spec.people().borrowers();
        int car = spec.people().borrowers();
        List<Renter.Kind> kinds = new ArrayList<>();
        kinds.addAll(java.util.Collections.nCopies(r.renters(), Renter.Kind.RENTER));
        kinds.addAll(java.util.Collections.nCopies(r.noShows(), Renter.Kind.NO_SHOW));
        kinds.addAll(java.util.Collections.nCopies(r.overdue(), Renter.Kind.OVERDUE));
        for (Renter.Kind kind : kinds) {
            CarDetail c = world.cars().get(car++);
            String name = kind.name().toLowerCase().replace('_', '-') + "-" + person;
            Renter renter = new Renter(name, kind, api, world.borrowers().get(person++), world.tenant(), c.id(),
                    fleet.car(c.deviceId()), habits, clock, random.split(), log, rentals, stop::get);
            threads.add(thread(renter, name));
        }
        if (r.immobiliseDrills() > 0) {
            List<ImmobiliseDrill.Target> targets = new ArrayList<>();
            for (int i = 0; i < r.immobiliseDrills(); i++) {
                CarDetail c = world.cars().get(car++);
                targets.add(new ImmobiliseDrill.Target(c.id(), fleet.car(c.deviceId())));
            }
            threads.add(thread(new ImmobiliseDrill(api, world.operator(), world.tenant(), targets,
                    Duration.ofSeconds(r.immobiliseAtSeconds()), clock, rentals, stop::get), "immobilise-drill"));
        }
        return threads;
    }

    /** What a scenario with rentals must have seen, and must never have seen; each miss is a failure. */
    static List<String> rentalFailures(ScenarioSpec spec, RentalLog log) {
        ScenarioSpec.Rentals r = spec.rentals();
        List<String> failures = new ArrayList<>();
        if (r.renters() > 0) {
            atLeast(failures, log, RentalLog.Outcome.RENTAL_STARTED, 1, "no rental started at the car");
            atLeast(failures, log, RentalLog.Outcome.RETURN_ACCEPTED, 1, "no rental was ended at the car");
            if (r.openDoorShare() > 0) {
                atLeast(failures, log, RentalLog.Outcome.RETURN_REFUSED_DOOR_OPEN, 1, "no return was refused for an open door");
            }
            if (r.immediateShare() > 0) {
                atLeast(failures, log, RentalLog.Outcome.RESERVED_NOW, 1, "no immediate reservation was made");
            }
        }
        exactly(failures, log, RentalLog.Outcome.RESERVATION_LAPSED, r.noShows(), "reservation(s) never taken up lapsed");
        exactly(failures, log, RentalLog.Outcome.BOOKING_MARKED_OVERDUE, r.overdue(), "booking(s) of cars driving on read overdue");
        exactly(failures, log, RentalLog.Outcome.OVERDUE_EVENT_SEEN, r.overdue(), "overdue car(s) seen by an operator");
        exactly(failures, log, RentalLog.Outcome.OVERDUE_RETURNED, r.overdue(), "overdue rental(s) returned with an overdue receipt");
        exactly(failures, log, RentalLog.Outcome.IMMOBILISE_REFUSED_MOVING, r.immobiliseDrills(), "IMMOBILISE refused while moving");
        exactly(failures, log, RentalLog.Outcome.IMMOBILISE_ACCEPTED_PARKED, r.immobiliseDrills(), "IMMOBILISE carried out when parked");
        exactly(failures, log, RentalLog.Outcome.MOBILISED, r.immobiliseDrills(), "MOBILISE carried out");
        for (RentalLog.Outcome never : List.of(RentalLog.Outcome.RETURN_ACCEPTED_WITH_DOOR_OPEN,
                RentalLog.Outcome.IMMOBILISED_WHILE_MOVING, RentalLog.Outcome.RESERVATION_NOT_LAPSED)) {
            if (log.seen(never) > 0) {
                failures.add(log.seen(never) + " x " + never);
            }
        }
        // Faults (lost connections, restarts) make errors expected; without them any error is a failure.
        if (spec.faults().isEmpty() && log.seen(RentalLog.Outcome.ERROR) > 0) {
            failures.add(log.seen(RentalLog.Outcome.ERROR) + " rental error(s), e.g. " + log.surprises().stream()
                    .filter(x -> x.startsWith("ERROR")).limit(3).toList());
        }
        return failures;
    }

    private static void atLeast(List<String> failures, RentalLog log, RentalLog.Outcome o, long min, String failure) {
        if (log.seen(o) < min) {
            failures.add(failure + " (" + o + " " + log.seen(o) + ")");
        }
    }

    private static void exactly(List<String> failures, RentalLog log, RentalLog.Outcome o, long expected, String what) {
        if (log.seen(o) != expected) {
            failures.add("expected " + expected + " " + what + ", saw " + log.seen(o) + " (" + o + ")");
        }
    }

    private ScenarioReport report(ScenarioSpec spec, double setupSeconds, FaultInjector faults, CommandLog log,
                                  List<Borrower> borrowers, List<Operator> operators, FleetAudit.Result audit,
                                  RentalLog rentalLog) {
        List<String> failures = new ArrayList<>();
        long stored = 0, lastSeqs = 0, lost = 0, dup = 0, pending = 0;
        List<String> issues = new ArrayList<>();
        for (TelemetryAudit.Result t : audit.telemetry()) {
            stored += t.stored();
            lastSeqs += t.lastSeq();
            lost += t.lostCount();
            dup += t.duplicatedCount();
            pending += t.pending();
            if (!t.clean() && issues.size() < 10) {
                issues.add(t.deviceId() + ": " + t.lostCount() + " lost " + t.lost() + ", " + t.duplicatedCount() + " duplicated");
            }
        }
        ScenarioReport.Telemetry telemetry = new ScenarioReport.Telemetry(stored, lastSeqs, lost, dup, pending, issues);
        ScenarioReport.Commands commands = CommandSummary.of(log.entries(), audit.commands());
        long trips = borrowers.stream().mapToLong(Borrower::trips).sum();
        long abandoned = borrowers.stream().mapToLong(Borrower::abandoned).sum();
        ScenarioReport.People people = new ScenarioReport.People(borrowers.size(), trips, abandoned, operators.size(),
                operators.stream().mapToLong(Operator::requests).sum(), operators.stream().mapToLong(Operator::errors).sum());
        if (lost > 0) {
            failures.add(lost + " telemetry record(s) lost");
        }
        if (dup > 0) {
            failures.add(dup + " telemetry record(s) duplicated in the store");
        }
        if (commands.unanswered() > 0) {
            failures.add(commands.unanswered() + " command(s) neither answered nor cleanly timed out");
        }
        if (commands.executedAfterExpiry() > 0) {
            failures.add(commands.executedAfterExpiry() + " command(s) executed after their expiry");
        }
        if (commands.unexplainedActivations() > 0) {
            failures.add(commands.unexplainedActivations() + " relay activation(s) no answer accounts for");
        }
        if (!audit.undrained().isEmpty()) {
            failures.add(audit.undrained().size() + " car(s) did not drain: " + audit.undrained().stream().limit(5).toList());
        }
        ScenarioReport.Rentals rentals = null;
        if (rentalLog != null) {
            failures.addAll(rentalFailures(spec, rentalLog));
            java.util.Map<String, Long> outcomes = new java.util.LinkedHashMap<>(rentalLog.counts());
            // all cars operators saw overdue, also plain borrowers' cars the backend's sweep found still out
            outcomes.put("CARS_SEEN_OVERDUE", (long) rentalLog.overdueCarsSeen().size());
            rentals = new ScenarioReport.Rentals(outcomes, rentalLog.surprises());
        }
        List<String> timeline = faults.timeline().stream().map(a -> String.format("%.1f s: %s", a.at(), a.description())).toList();
        return new ScenarioReport(spec.name(), spec.cars(), spec.durationSeconds(), Math.round(setupSeconds * 10) / 10.0,
                telemetry, commands, people, rentals, timeline, audit.drainMillis(), failures);
    }

    private static String tenantPrefix(String name) {
        String t = name.toLowerCase().replaceAll("[^a-z0-9-]", "-").replaceAll("^-+", "");
        t = t.isEmpty() ? "sim" : t;
        return t.length() > 40 ? t.substring(0, 40) : (t.length() < 2 ? t + "-sim" : t);
    }

    private static Thread thread(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    private static void joinAll(List<Thread> threads, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        for (Thread t : threads) {
            try {
                t.join(Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private static void sleepUntil(long nanos) {
        long left = nanos - System.nanoTime();
        if (left > 0) {
            try {
                Thread.sleep(left / 1_000_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Summarises API answers and per-car audits. */
    static final class CommandSummary {
        private CommandSummary() {
        }

        static ScenarioReport.Commands of(List<CommandLog.Entry> entries, List<CommandAudit.Result> cars) {
            long executed = entries.stream().filter(e -> e.status() == 200).count();
            long t504 = entries.stream().filter(e -> e.status() == 504).count();
            long r502 = entries.stream().filter(e -> e.status() == 502).count();
            long f409 = entries.stream().filter(e -> e.status() == 409).count();
            long n503 = entries.stream().filter(e -> e.status() == 503).count();
            long unanswered = entries.stream().filter(e -> !e.answeredOrTimedOut()).count();
            long[] micros = entries.stream().filter(e -> e.status() == 200).mapToLong(CommandLog.Entry::roundTripMicros).toArray();
            Percentiles pct = micros.length == 0 ? null : new Percentiles(micros);
            return new ScenarioReport.Commands(entries.size(), executed, t504, r502, f409, n503, unanswered,
                    cars.stream().mapToLong(CommandAudit.Result::executedAfterExpiry).sum(),
                    cars.stream().mapToLong(CommandAudit.Result::unexplained).sum(),
                    cars.stream().mapToLong(CommandAudit.Result::expiredRefusals).sum(),
                    cars.stream().mapToLong(CommandAudit.Result::activations).sum(),
                    pct == null ? 0 : pct.at(50) / 1000.0, pct == null ? 0 : pct.at(95) / 1000.0,
                    pct == null ? 0 : pct.at(99) / 1000.0, pct == null ? 0 : pct.max() / 1000.0);
        }
    }
}
