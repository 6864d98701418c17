package io.latchkey.simulator.scenario;

import io.latchkey.simulator.api.ApiTypes.Booking;
import io.latchkey.simulator.api.ApiTypes.CarDetail;
import io.latchkey.simulator.api.ApiTypes.CommandResponse;
import io.latchkey.simulator.api.LatchkeyClient;
import io.latchkey.simulator.car.SimulatedCar;
import java.io.PrintStream;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.random.RandomGenerator;

/**
 * What {@code demo --keep} leaves running so that a person sees a living fleet: some cars are rented the way a
 * borrower rents them (the demo's second borrower books them through the API and unlocks them at the car, so the
 * console shows them in use) and then driven round the simulated street grid, speeding up, slowing down and stopping
 * now and then, reporting as they go. The other cars stay parked, free for the person to book in the app. Half of
 * the cars (at least one of two or more, at most {@link #MAX_RENTED}: one borrower's limit of open bookings) are driven.
 */
public final class DemoTraffic implements AutoCloseable {
    static final int MAX_RENTED = 5;
    private static final Duration RENTAL = Duration.ofHours(8);
    private static final double[] SPEEDS = {0, 20, 30, 40, 50};

    private final LatchkeyClient api;
    private final PrintStream out;
    private final Clock clock;
    private final RandomGenerator random;
    private final ScheduledExecutorService driver = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "demo-traffic");
        t.setDaemon(true);
        return t;
    });

    public DemoTraffic(LatchkeyClient api, PrintStream out, Clock clock, RandomGenerator random) {
        this.api = api;
        this.out = out;
        this.clock = clock;
        this.random = random;
    }

    /** How many of {@code cars} are driven. */
    public static int driven(int cars) {
        return Math.min(MAX_RENTED, cars / 2);
    }

    /** Rents and starts driving the last {@link #driven} cars; returns the ids of those that drive. */
    public List<String> start(World w) {
        List<String> moving = new ArrayList<>();
        List<SimulatedCar> cars = new ArrayList<>();
        int count = driven(w.cars().size());
        for (int i = w.cars().size() - count; i < w.cars().size(); i++) {
            CarDetail car = w.car(i);
            SimulatedCar simulated = w.simulatedCar(i);
            try {
                Instant now = clock.instant();
                Booking b = api.book(w.strangerToken(), w.tenant(), car.id(), now, now.plus(RENTAL));
                CommandResponse unlocked = api.command(w.strangerToken(), w.tenant(), car.id(), "UNLOCK");
                if (!unlocked.executed()) {
                    out.println("  " + car.id() + " stays parked: the unlock was not executed (" + unlocked.status() + ")");
                    continue;
                }
                if (!simulated.ignition(true)) {
                    out.println("  " + car.id() + " stays parked: its ignition did not come on");
                    continue;
                }
                simulated.drive(30);
                cars.add(simulated);
                moving.add(car.id() + " (booking " + b.id() + ")");
            } catch (RuntimeException e) {
                out.println("  " + car.id() + " stays parked: " + e.getMessage());
            }
        }
        if (!cars.isEmpty()) {
            // every 15 s each driven car picks a new speed: now and then it stops, as at lights
            driver.scheduleAtFixedRate(() -> {
                for (SimulatedCar car : cars) {
                    car.drive(SPEEDS[random.nextInt(SPEEDS.length)]);
                }
            }, 15, 15, TimeUnit.SECONDS);
        }
        return moving;
    }

    @Override
    public void close() {
        driver.shutdownNow();
    }
}
