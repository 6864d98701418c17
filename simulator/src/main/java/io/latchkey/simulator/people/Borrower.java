package io.latchkey.simulator.people;

import io.latchkey.simulator.api.ApiException;
import io.latchkey.simulator.api.ApiTypes.CommandResponse;
import io.latchkey.simulator.api.LatchkeyClient;
import io.latchkey.simulator.api.Session;
import io.latchkey.simulator.car.VehicleModel;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;

/**
 * A virtual borrower with cars of their own: for each trip books the car over the public API, unlocks
 * it, gets in, drives it around its streets for a while, parks, gets out and locks it. Commands that
 * time out are retried with the same id (the car moves at most once); a trip whose unlock never
 * succeeds is abandoned. Runs on its own thread until told to stop.
 */
public final class Borrower implements Runnable {
    /** How a borrower behaves. */
    public record Habits(Duration trip, Duration pause, Duration startWithin, Duration commandTimeout, int attempts) {
    }

    private final LatchkeyClient api;
    private final Session session;
    private final String tenant;
    private final List<BorrowedCar> cars;
    private final Habits habits;
    private final Clock clock;
    private final SplittableRandom random;
    private final CommandLog log;
    private final BooleanSupplier stop;
    private final String name;
    private final AtomicLong trips = new AtomicLong();
    private final AtomicLong abandoned = new AtomicLong();
    private final AtomicLong apiErrors = new AtomicLong();

    public Borrower(String name, LatchkeyClient api, Session session, String tenant, List<Car> cars, Habits habits,
                    Clock clock, SplittableRandom random, CommandLog log, BooleanSupplier stop) {
        this.name = name;
        this.api = Objects.requireNonNull(api, "api");
        this.session = session;
        this.tenant = tenant;
        this.cars = cars.stream().map(c -> new BorrowedCar(c.carId(), c.car())).toList();
        this.habits = habits;
        this.clock = clock;
        this.random = random;
        this.log = log;
        this.stop = stop;
    }

    /** A car of the borrower's: the API's car id and the simulated car itself. */
    public record Car(String carId, io.latchkey.simulator.car.SimulatedCar car) {
    }

    @Override
    public void run() {
        if (!Pacing.sleep(Duration.ofMillis((long) (random.nextDouble() * habits.startWithin().toMillis())), stop)) {
            return;
        }
        int next = 0;
        while (!stop.getAsBoolean()) {
            BorrowedCar car = cars.get(next++ % cars.size());
            try {
                trip(car);
            } catch (ApiException e) {
                apiErrors.incrementAndGet();
            }
            if (!Pacing.sleep(habits.pause(), stop)) {
                return;
            }
        }
    }

    private void trip(BorrowedCar c) {
        Duration wait = Duration.between(clock.instant(), c.freeFrom);
        if (!wait.isNegative() && !Pacing.sleep(wait, stop)) {
            return;
        }
        Instant start = clock.instant();
        // Long enough for the trip, parking and a few locking attempts, all inside the booking.
        Instant end = start.plus(habits.trip()).plusSeconds(20)
                .plus(habits.commandTimeout().plusSeconds(2).multipliedBy(habits.attempts()));
        api.book(session.token(), tenant, c.carId, start, end);
        c.freeFrom = end.plusSeconds(1);
        if (!command(c, "UNLOCK")) {
            abandoned.incrementAndGet();
            return;
        }
        c.car.openDoor(VehicleModel.Door.DRIVER);
        Pacing.sleep(Duration.ofMillis(300), () -> false);
        c.car.closeDoor(VehicleModel.Door.DRIVER);
        c.car.ignition(true);
        c.car.drive(30 + random.nextInt(21));
        Pacing.sleep(habits.trip(), stop);
        c.car.drive(0);
        for (int i = 0; i < 150 && c.car.speedKmh() > 0; i++) {
            Pacing.sleep(Duration.ofMillis(100), () -> false);
        }
        c.car.ignition(false);
        c.car.openDoor(VehicleModel.Door.DRIVER);
        Pacing.sleep(Duration.ofMillis(300), () -> false);
        c.car.closeDoor(VehicleModel.Door.DRIVER);
        command(c, "LOCK");
        trips.incrementAndGet();
    }

    /** Sends the command, retrying with the same id while the backend times out; true once executed. */
    private boolean command(BorrowedCar c, String type) {
        String id = name + "-" + type.toLowerCase() + "-" + Long.toString(random.nextLong() & Long.MAX_VALUE, 36);
        for (int attempt = 1; attempt <= habits.attempts(); attempt++) {
            Instant sent = clock.instant();
            CommandResponse r;
            try {
                r = api.command(session.token(), tenant, c.carId, type, id);
            } catch (ApiException e) {
                log.failed("borrower", c.carId, id, type, sent, e.getMessage());
                continue;
            }
            log.record("borrower", c.carId, id, type, r, sent);
            if (r.executed()) {
                return true;
            }
            if (r.status() != 504 && r.status() != 503) {
                return false;
            }
            if (!Pacing.sleep(Duration.ofSeconds(2), () -> false)) {
                return false;
            }
        }
        return false;
    }

    public long trips() {
        return trips.get();
    }

    public long abandoned() {
        return abandoned.get();
    }

    public long apiErrors() {
        return apiErrors.get();
    }
}
