package io.latchkey.simulator.scenario;

import io.latchkey.simulator.api.ApiTypes.CarDetail;
import io.latchkey.simulator.api.ApiTypes.CarState;
import io.latchkey.simulator.api.ApiTypes.CommandResponse;
import io.latchkey.simulator.api.ApiTypes.TelemetryRecord;
import io.latchkey.simulator.api.LatchkeyClient;
import io.latchkey.simulator.car.SimulatedCar;
import io.latchkey.simulator.fleet.Fleet;
import java.io.PrintStream;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * The walking skeleton's story, end to end over the public API and real MQTT: bootstrap a tenant and
 * a fleet ({@link TenantBootstrap}), then the borrower books car 1, unlocks it, the operator looks at
 * it, the borrower locks it, the operator reads state and telemetry, and a borrower without a booking
 * is refused. Each step checks what it must (outcome, lock state read back from the car, relay
 * activations on the simulated car) and the first failure stops the run.
 */
public final class Demo {
    /** How the run went; {@code world} is null when the bootstrap itself failed. */
    public record Result(boolean ok, List<Steps.Step> steps, World world) {
    }

    private final LatchkeyClient api;
    private final PrintStream out;
    private final Clock clock;
    private final RandomGenerator random;

    public Demo(LatchkeyClient api, PrintStream out, Clock clock, RandomGenerator random) {
        this.api = api;
        this.out = out;
        this.clock = clock;
        this.random = random;
    }

    public Result run(TenantBootstrap.Options options, Fleet fleet) {
        Steps steps = new Steps(out);
        out.println("Latchkey demo against " + api.baseUrl());
        World world = null;
        try {
            world = new TenantBootstrap(api, steps, clock, random).run(options, fleet);
            story(world, steps, options.onlineTimeout());
        } catch (Steps.StepFailed e) {
            out.println();
            out.println("DEMO FAILED: " + e.getMessage());
            return new Result(false, steps.steps(), world);
        }
        out.println();
        out.println("Demo succeeded: " + steps.steps().size() + " steps, all as expected.");
        printAddresses(world);
        return new Result(steps.allOk(), steps.steps(), world);
    }

    /** Where a person points the browser next: the borrower app, and whom to sign in as (made up for this run). */
    private void printAddresses(World w) {
        String base = api.baseUrl().replaceAll("/+$", "");
        out.println();
        out.println("Borrower app: " + base + "/t/" + w.tenant() + "/app/");
        out.println("  sign in as " + w.borrowerSignIn().email() + " with the password " + w.borrowerSignIn().password()
                + " (made up for this demo run)");
    }

    private void story(World w, Steps steps, Duration wait) {
        CarDetail car = w.car(0);
        SimulatedCar simulated = w.simulatedCar(0);
        bookAndUnlock(w, steps, wait, car, simulated);
        lockAndReadTelemetry(w, steps, wait, car, simulated);
        strangerIsRefused(w, steps, car, simulated);
    }

    private void bookAndUnlock(World w, Steps steps, Duration wait, CarDetail car, SimulatedCar simulated) {
        String t = w.tenant();
        steps.run("Borrower books " + car.id() + " for a window covering now", () -> {
            Instant now = clock.instant();
            var booking = api.book(w.borrowerToken(), t, car.id(), now.minus(Duration.ofMinutes(5)), now.plus(Duration.ofHours(1)));
            steps.detail("booking %s: %s .. %s", booking.id(), booking.start(), booking.end());
        });

        steps.run("Borrower UNLOCKs " + car.id(), () -> {
            long relayBefore = simulated.unlockActivations();
            CommandResponse r = api.command(w.borrowerToken(), t, car.id(), "UNLOCK");
            printCommand(steps, r);
            Steps.check(r.status() == 200, "expected HTTP 200, got %d %s", r.status(), body(r));
            Steps.check(r.executed(), "expected outcome EXECUTED, got %s", r.result().outcome());
            Steps.check(r.result().lockState() == io.latchkey.protocol.LockState.UNLOCKED,
                    "expected lock state UNLOCKED, got %s", r.result().lockState());
            Steps.check(simulated.unlockActivations() == relayBefore + 1, "expected the unlock relay to fire once, it fired %d time(s)",
                    simulated.unlockActivations() - relayBefore);
            Steps.check(!simulated.isLocked(), "the simulated car's feedback still reads locked");
            steps.detail("unlock relay energised once; the car's feedback contact reads unlocked");
        });

        steps.run("Operator reads the car's state", () -> {
            CarState s = awaitLockState(w, car, io.latchkey.protocol.LockState.UNLOCKED, wait);
            printState(steps, s);
        });
    }

    private void lockAndReadTelemetry(World w, Steps steps, Duration wait, CarDetail car, SimulatedCar simulated) {
        String t = w.tenant();
        steps.run("Borrower LOCKs " + car.id(), () -> {
            CommandResponse r = api.command(w.borrowerToken(), t, car.id(), "LOCK");
            printCommand(steps, r);
            Steps.check(r.status() == 200 && r.executed(), "expected HTTP 200 EXECUTED, got %d %s", r.status(), body(r));
            Steps.check(r.result().lockState() == io.latchkey.protocol.LockState.LOCKED,
                    "expected lock state LOCKED, got %s", r.result().lockState());
            Steps.check(simulated.isLocked(), "the simulated car's feedback does not read locked");
        });

        steps.run("Operator reads the car's state and recent telemetry", () -> {
            CarState s = awaitLockState(w, car, io.latchkey.protocol.LockState.LOCKED, wait);
            printState(steps, s);
            Polling.until(wait, () -> !api.telemetry(w.operatorToken(), t, car.id(), 5).isEmpty(),
                    "no telemetry stored for " + car.id());
            List<TelemetryRecord> recent = api.telemetry(w.operatorToken(), t, car.id(), 5);
            steps.detail("last %d telemetry record(s), oldest first:", recent.size());
            for (TelemetryRecord r : recent) {
                steps.detail("  seq %-4d %s  %-8s %-9s lat %.5f lon %.5f  %.1f km/h  odo %.1f km", r.seq(), r.time(),
                        r.reason(), r.lockState(), nz(r.lat()), nz(r.lon()), nz(r.speedKmh()), nz(r.odometerKm()));
            }
        });
    }

    private void strangerIsRefused(World w, Steps steps, CarDetail car, SimulatedCar simulated) {
        String t = w.tenant();
        steps.run("A borrower WITHOUT a booking tries to UNLOCK " + car.id(), () -> {
            long relayBefore = simulated.unlockActivations();
            CommandResponse r = api.command(w.strangerToken(), t, car.id(), "UNLOCK");
            steps.detail("HTTP %d %s", r.status(), body(r));
            Steps.check(r.status() == 403, "expected HTTP 403, got %d", r.status());
            Steps.check(simulated.unlockActivations() == relayBefore, "the unlock relay fired although the request was refused");
            Steps.check(simulated.isLocked(), "the car is no longer locked");
            steps.detail("refused as it should be; the car stayed locked");
        });
    }

    private CarState awaitLockState(World w, CarDetail car, io.latchkey.protocol.LockState expected, Duration wait) {
        Polling.until(wait, () -> {
            CarState s = api.car(w.operatorToken(), w.tenant(), car.id()).state();
            return s != null && s.lockState() == expected;
        }, "operator does not see " + car.id() + " " + expected);
        return api.car(w.operatorToken(), w.tenant(), car.id()).state();
    }

    private static void printCommand(Steps steps, CommandResponse r) {
        if (r.result() == null) {
            steps.detail("HTTP %d in %.1f ms: %s", r.status(), r.roundTripMicros() / 1000.0, r.problem());
            return;
        }
        steps.detail("HTTP %d: outcome %s, lock state %s, doors open %s, car answered in %d ms (round trip %.1f ms)",
                r.status(), r.result().outcome(), r.result().lockState(), r.result().doorsOpen(),
                r.result().elapsedMs(), r.roundTripMicros() / 1000.0);
    }

    private static void printState(Steps steps, CarState s) {
        steps.detail("online %s, lock %s, doors open %s, ignition %s", s.online(), s.lockState(), s.doorsOpen(), s.ignition());
        steps.detail("position %.5f, %.5f, speed %.1f km/h, odometer %.1f km, last seq %s, last seen %s",
                nz(s.lat()), nz(s.lon()), nz(s.speedKmh()), nz(s.odometerKm()), s.lastSeq(), s.lastSeen());
    }

    private static String body(CommandResponse r) {
        return r.result() != null ? r.result().toString() : r.problem();
    }

    private static double nz(Double d) {
        return d == null ? Double.NaN : d;
    }
}
