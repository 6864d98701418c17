package io.latchkey.simulator.people;

import io.latchkey.simulator.api.ApiException;
import io.latchkey.simulator.api.ApiTypes.AvailableCar;
import io.latchkey.simulator.api.ApiTypes.Booking;
import io.latchkey.simulator.api.ApiTypes.CommandResponse;
import io.latchkey.simulator.api.ApiTypes.EndAnswer;
import io.latchkey.simulator.api.LatchkeyClient;
import io.latchkey.simulator.api.Session;
import io.latchkey.simulator.car.SimulatedCar;
import io.latchkey.simulator.car.VehicleModel;
import io.latchkey.simulator.people.RentalLog.Outcome;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.function.BooleanSupplier;

/**
 * A virtual borrower who goes through the whole rental life cycle with a car of their own (nobody else books it),
 * in one of three ways ({@link Kind}):
 * <ul>
 * <li>{@code RENTER}: again and again finds the car free (availability), books it or reserves it for immediate use,
 *     unlocks it (the rental starts), drives, parks and ends the rental at the car; some returns leave a door open
 *     first (one the car reports), are refused by the car with the door named, and are accepted once it is closed.</li>
 * <li>{@code NO_SHOW}: reserves the car for immediate use and never comes; the reservation must lapse
 *     ({@code NO_SHOW}) after the backend's hold.</li>
 * <li>{@code OVERDUE}: books a short window, starts the rental and keeps driving past its end until an operator has
 *     seen the car's {@code BOOKING_OVERDUE} event (or a time limit), then parks and ends the rental.</li>
 * </ul>
 * Everything seen is counted in the {@link RentalLog}; commands go to the {@link CommandLog} like every other
 * person's, for the command audit.
 */
public final class Renter implements Runnable {
    public enum Kind { RENTER, NO_SHOW, OVERDUE }

    /**
     * @param booking        length of each booking (RENTER), from now
     * @param trip           how long each trip drives
     * @param pause          between rentals
     * @param startWithin    the first rental starts at a random moment in this window
     * @param immediateShare share of rentals that start from an immediate reservation
     * @param openDoorShare  share of returns that first leave a door open
     * @param overdueBooking length of the OVERDUE person's booking
     * @param overdueWait    how long past its end the OVERDUE person drives on at most, waiting for the operator
     * @param lapseGrace     how long past the hold a NO_SHOW reservation may take to read NO_SHOW (the sweep)
     */
    public record Habits(Duration booking, Duration trip, Duration pause, Duration startWithin, double immediateShare,
                         double openDoorShare, Duration overdueBooking, Duration overdueWait, Duration lapseGrace,
                         Duration commandTimeout) {
    }

    private final String name;
    private final Kind kind;
    private final LatchkeyClient api;
    private final Session session;
    private final String tenant;
    private final String carId;
    private final SimulatedCar car;
    private final Habits habits;
    private final Clock clock;
    private final SplittableRandom random;
    private final CommandLog commands;
    private final RentalLog rentals;
    private final BooleanSupplier stop;

    public Renter(String name, Kind kind, LatchkeyClient api, Session session, String tenant, String carId, SimulatedCar car,
                  Habits habits, Clock clock, SplittableRandom random, CommandLog commands, RentalLog rentals,
                  BooleanSupplier stop) {
        this.name = name;
        this.kind = Objects.requireNonNull(kind, "kind");
        this.api = Objects.requireNonNull(api, "api");
        this.session = session;
        this.tenant = tenant;
        this.carId = carId;
        this.car = car;
        this.habits = habits;
        this.clock = clock;
        this.random = random;
        this.commands = commands;
        this.rentals = rentals;
        this.stop = stop;
    }

    @Override
    public void run() {
        if (!Pacing.sleep(Duration.ofMillis((long) (random.nextDouble() * habits.startWithin().toMillis())), stop)) {
            return;
        }
        try {
            switch (kind) {
                case NO_SHOW -> noShow();
                case OVERDUE -> overdue();
                case RENTER -> {
                    while (!stop.getAsBoolean()) {
                        rental();
                        if (!Pacing.sleep(habits.pause(), stop)) {
                            return;
                        }
                    }
                }
            }
        } catch (ApiException e) {
            rentals.surprise(Outcome.ERROR, name + ": " + e.getMessage());
        } catch (RuntimeException e) {
            rentals.surprise(Outcome.ERROR, name + ": " + e);
        }
    }

    // --- the kinds --------------------------------------------------------------------------------

    private void rental() {
        Instant now = clock.instant();
        Instant end = now.plus(habits.booking());
        if (!offered(now, end)) {
            Pacing.sleep(Duration.ofSeconds(2), stop);
            return;
        }
        Booking b;
        if (random.nextDouble() < habits.immediateShare()) {
            b = api.reserveNow(session.token(), tenant, carId, end);
            rentals.count(Outcome.RESERVED_NOW);
        } else {
            b = api.book(session.token(), tenant, carId, now, end);
            rentals.count(Outcome.BOOKED);
        }
        if (!start(b)) {
            return;
        }
        drive(habits.trip());
        park();
        giveBack(b, random.nextDouble() < habits.openDoorShare());
    }

    private void noShow() {
        Booking b = api.reserveNow(session.token(), tenant, carId, null);
        rentals.count(Outcome.RESERVED_NOW);
        if (b.holdUntil() == null) {
            rentals.surprise(Outcome.ERROR, name + ": reservation " + b.id() + " has no holdUntil");
            return;
        }
        // Never comes. Waits (whatever the scenario's clock says: the lapse is the point) for the hold to pass.
        Duration wait = Duration.between(clock.instant(), b.holdUntil());
        if (!wait.isNegative()) {
            Pacing.sleep(wait, () -> false);
        }
        Instant deadline = clock.instant().plus(habits.lapseGrace());
        while (clock.instant().isBefore(deadline)) {
            Booking now = api.booking(session.token(), tenant, b.id());
            if ("NO_SHOW".equals(now.state())) {
                rentals.count(Outcome.RESERVATION_LAPSED);
                return;
            }
            Pacing.sleep(Duration.ofMillis(500), () -> false);
        }
        rentals.surprise(Outcome.RESERVATION_NOT_LAPSED, name + ": reservation " + b.id() + " is still "
                + api.booking(session.token(), tenant, b.id()).state() + " " + habits.lapseGrace().toSeconds()
                + " s after its hold " + b.holdUntil());
    }

    private void overdue() {
        Instant now = clock.instant();
        Booking b = api.book(session.token(), tenant, carId, now, now.plus(habits.overdueBooking()));
        rentals.count(Outcome.BOOKED);
        if (!start(b)) {
            return;
        }
        car.ignition(true);
        car.drive(25 + random.nextInt(20));
        // Drives on past the booked end until an operator has seen the alert, or the limit.
        Instant limit = b.end().plus(habits.overdueWait());
        boolean marked = false;
        while (clock.instant().isBefore(limit) && !(marked && rentals.overdueSeenFor(carId))) {
            Pacing.sleep(Duration.ofSeconds(1), () -> false);
            if (!marked && clock.instant().isAfter(b.end())) {
                Booking seen = api.booking(session.token(), tenant, b.id());
                if (seen.isOverdue()) {
                    marked = true;
                    rentals.count(Outcome.BOOKING_MARKED_OVERDUE);
                } else if (!"ACTIVE".equals(seen.state())) {
                    rentals.surprise(Outcome.ERROR, name + ": booking " + b.id() + " of a car still driving became " + seen.state());
                    park();
                    return;
                }
            }
        }
        if (!marked) {
            rentals.surprise(Outcome.ERROR, name + ": booking " + b.id() + " was never marked overdue while the car drove on");
        } else if (rentals.overdueSeenFor(carId)) {
            rentals.count(Outcome.OVERDUE_EVENT_SEEN);
        } else {
            rentals.surprise(Outcome.ERROR, name + ": no operator saw the BOOKING_OVERDUE event of " + carId);
        }
        park();
        EndAnswer end = endAtTheCar(b);
        if (end != null && end.isEnded()) {
            if (end.receipt() != null && Boolean.TRUE.equals(end.receipt().overdue())) {
                rentals.count(Outcome.OVERDUE_RETURNED);
            } else {
                rentals.surprise(Outcome.ERROR, name + ": the receipt of overdue booking " + b.id() + " does not say overdue");
            }
        } else {
            // The rental sweep may end an overdue rental itself the moment the car is parked and closed.
            Booking after = api.booking(session.token(), tenant, b.id());
            if ("ENDED".equals(after.state()) && after.isOverdue()) {
                rentals.count(Outcome.OVERDUE_RETURNED);
            } else {
                rentals.surprise(Outcome.ERROR, name + ": overdue booking " + b.id() + " is " + after.state()
                        + (after.isOverdue() ? " (overdue)" : "") + " after the return");
            }
        }
    }

    // --- steps ------------------------------------------------------------------------------------

    private boolean offered(Instant from, Instant to) {
        List<AvailableCar> free = api.availableCars(session.token(), tenant, from, to, car.position(), 2_000);
        if (free.stream().anyMatch(c -> c.id().equals(carId))) {
            rentals.count(Outcome.CAR_OFFERED);
            return true;
        }
        rentals.surprise(Outcome.CAR_NOT_OFFERED, name + ": " + carId + " not offered for " + from + ".." + to);
        return false;
    }

    /** Unlocks (retrying a timeout with the same id) and waits for the booking to read ACTIVE. */
    private boolean start(Booking b) {
        if (!command("UNLOCK")) {
            rentals.surprise(Outcome.ERROR, name + ": UNLOCK of " + carId + " for " + b.id() + " never executed");
            cancelQuietly(b);
            return false;
        }
        Instant deadline = clock.instant().plusSeconds(10);
        while (clock.instant().isBefore(deadline)) {
            if ("ACTIVE".equals(api.booking(session.token(), tenant, b.id()).state())) {
                rentals.count(Outcome.RENTAL_STARTED);
                return true;
            }
            Pacing.sleep(Duration.ofMillis(200), () -> false);
        }
        rentals.surprise(Outcome.ERROR, name + ": booking " + b.id() + " not ACTIVE after an executed UNLOCK");
        return false;
    }

    private void drive(Duration how) {
        car.openDoor(VehicleModel.Door.DRIVER);
        car.closeDoor(VehicleModel.Door.DRIVER);
        car.ignition(true);
        car.drive(30 + random.nextInt(21));
        Pacing.sleep(how, () -> false);
    }

    private void park() {
        car.drive(0);
        for (int i = 0; i < 200 && car.speedKmh() > 0; i++) {
            Pacing.sleep(Duration.ofMillis(100), () -> false);
        }
        car.ignition(false);
        car.openDoor(VehicleModel.Door.DRIVER);
        car.closeDoor(VehicleModel.Door.DRIVER);
    }

    private void giveBack(Booking b, boolean leaveADoorOpen) {
        if (leaveADoorOpen) {
            VehicleModel.Door door = car.aDoorItSees();
            car.openDoor(door);
            EndAnswer first = api.endBooking(session.token(), tenant, b.id());
            if (first.isRefusedByTheCar() && first.failed() != null
                    && first.failed().stream().anyMatch(f -> f.startsWith("DOOR_OPEN"))) {
                rentals.count(Outcome.RETURN_REFUSED_DOOR_OPEN);
            } else if (first.isEnded()) {
                rentals.surprise(Outcome.RETURN_ACCEPTED_WITH_DOOR_OPEN, name + ": " + b.id() + " ended with the " + door + " door open");
                car.closeDoor(door);
                return;
            } else {
                rentals.surprise(Outcome.ERROR, name + ": end of " + b.id() + " with a door open answered " + describe(first));
            }
            car.closeDoor(door);
        }
        endAtTheCar(b);
    }

    /** Ends the rental, retrying what a busy or unreachable car answers; null when it never ended. */
    private EndAnswer endAtTheCar(Booking b) {
        for (int attempt = 1; attempt <= 3; attempt++) {
            EndAnswer a = api.endBooking(session.token(), tenant, b.id());
            if (a.isEnded()) {
                rentals.count(Outcome.RETURN_ACCEPTED);
                return a;
            }
            if (a.status() == 409 && "ENDED".equals(api.booking(session.token(), tenant, b.id()).state())) {
                rentals.count(Outcome.ENDED_BY_BACKEND);
                return null;
            }
            if (a.status() != 504 && a.status() != 503 && a.status() != 502) {
                rentals.surprise(Outcome.ERROR, name + ": end of " + b.id() + " answered " + describe(a));
                return null;
            }
            Pacing.sleep(Duration.ofSeconds(1), () -> false);
        }
        rentals.surprise(Outcome.ERROR, name + ": end of " + b.id() + " never got through");
        return null;
    }

    private void cancelQuietly(Booking b) {
        try {
            api.cancelBooking(session.token(), tenant, b.id());
        } catch (ApiException e) {
            // a booking that started meanwhile, or is gone: nothing to free
        }
    }

    private boolean command(String type) {
        String id = name + "-" + type.toLowerCase() + "-" + Long.toString(random.nextLong() & Long.MAX_VALUE, 36);
        for (int attempt = 1; attempt <= 3; attempt++) {
            Instant sent = clock.instant();
            CommandResponse r;
            try {
                r = api.command(session.token(), tenant, carId, type, id);
            } catch (ApiException e) {
                commands.failed("renter", carId, id, type, sent, e.getMessage());
                continue;
            }
            commands.record("renter", carId, id, type, r, sent);
            if (r.executed()) {
                return true;
            }
            if (r.status() != 504 && r.status() != 503) {
                return false;
            }
            Pacing.sleep(Duration.ofSeconds(2), () -> false);
        }
        return false;
    }

    private static String describe(EndAnswer a) {
        return a.status() + " " + (a.problem() != null ? a.problem() : "ended=" + a.ended() + " failed=" + a.failed());
    }
}
