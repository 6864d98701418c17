package io.latchkey.simulator.people;

import io.latchkey.simulator.api.ApiException;
import io.latchkey.simulator.api.ApiTypes.CarState;
import io.latchkey.simulator.api.ApiTypes.CommandResponse;
import io.latchkey.simulator.api.LatchkeyClient;
import io.latchkey.simulator.api.Session;
import io.latchkey.simulator.car.SimulatedCar;
import io.latchkey.simulator.people.RentalLog.Outcome;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * An operator immobilising cars safely, one after another: while a staff driver moves the car the operator sends
 * {@code IMMOBILISE} and must be refused ({@code 409 REJECTED}, {@code MOVING} among the failed checks, the relay
 * untouched); once the car is parked with the ignition off the same command must be carried out (the immobiliser
 * relay energised); then {@code MOBILISE} gives the car back. Outcomes go to the {@link RentalLog}.
 */
public final class ImmobiliseDrill implements Runnable {
    /** A car for the drill: the API's id and the simulated car the staff driver moves. */
    public record Target(String carId, SimulatedCar car) {
    }

    private final LatchkeyClient api;
    private final Session operator;
    private final String tenant;
    private final List<Target> targets;
    private final Duration startAfter;
    private final Clock clock;
    private final RentalLog rentals;
    private final BooleanSupplier stop;

    public ImmobiliseDrill(LatchkeyClient api, Session operator, String tenant, List<Target> targets, Duration startAfter,
                           Clock clock, RentalLog rentals, BooleanSupplier stop) {
        this.api = api;
        this.operator = operator;
        this.tenant = tenant;
        this.targets = List.copyOf(targets);
        this.startAfter = startAfter;
        this.clock = clock;
        this.rentals = rentals;
        this.stop = stop;
    }

    @Override
    public void run() {
        if (!Pacing.sleep(startAfter, stop)) {
            return;
        }
        for (Target t : targets) {
            try {
                drill(t);
            } catch (ApiException e) {
                rentals.surprise(Outcome.ERROR, "immobilise drill on " + t.carId() + ": " + e.getMessage());
            }
        }
    }

    private void drill(Target t) {
        SimulatedCar car = t.car();
        car.ignition(true);
        car.drive(35);
        // The car must know it moves: wait until the backend's view (from the car's own reports) shows speed.
        if (!await(Duration.ofSeconds(20), () -> moving(t))) {
            rentals.surprise(Outcome.ERROR, "immobilise drill: " + t.carId() + " never reported moving");
        } else {
            CommandResponse r = api.immobilise(operator.token(), tenant, t.carId());
            if (r.status() == 409 && r.result() != null && r.result().failed() != null && r.result().failed().contains("MOVING")
                    && !car.isImmobilised()) {
                rentals.count(Outcome.IMMOBILISE_REFUSED_MOVING);
            } else if (r.executed() || car.isImmobilised()) {
                rentals.surprise(Outcome.IMMOBILISED_WHILE_MOVING, t.carId() + " immobilised at "
                        + Math.round(car.speedKmh()) + " km/h");
            } else {
                rentals.surprise(Outcome.ERROR, "IMMOBILISE of moving " + t.carId() + " answered " + r.status() + " "
                        + (r.result() != null ? r.result() : r.problem()));
            }
        }
        car.drive(0);
        await(Duration.ofSeconds(20), () -> car.speedKmh() == 0);
        car.ignition(false);
        // Parked: the car's speed signal reads 0 at the next emission (each tick); give it one.
        Pacing.sleep(Duration.ofMillis(1_500), () -> false);
        CommandResponse parked = api.immobilise(operator.token(), tenant, t.carId());
        if (parked.executed() && car.isImmobilised()) {
            rentals.count(Outcome.IMMOBILISE_ACCEPTED_PARKED);
        } else {
            rentals.surprise(Outcome.ERROR, "IMMOBILISE of parked " + t.carId() + " answered " + parked.status() + " "
                    + (parked.result() != null ? parked.result() : parked.problem()));
        }
        CommandResponse back = api.mobilise(operator.token(), tenant, t.carId());
        if (back.executed() && !car.isImmobilised()) {
            rentals.count(Outcome.MOBILISED);
        } else {
            rentals.surprise(Outcome.ERROR, "MOBILISE of " + t.carId() + " answered " + back.status());
        }
    }

    private boolean moving(Target t) {
        CarState s = api.car(operator.token(), tenant, t.carId()).state();
        return s != null && s.speedKmh() != null && s.speedKmh() > 5 && t.car().speedKmh() > 5;
    }

    private boolean await(Duration timeout, java.util.function.BooleanSupplier condition) {
        Instant deadline = clock.instant().plus(timeout);
        while (clock.instant().isBefore(deadline)) {
            if (condition.getAsBoolean()) {
                return true;
            }
            Pacing.sleep(Duration.ofMillis(250), () -> false);
        }
        return condition.getAsBoolean();
    }
}
