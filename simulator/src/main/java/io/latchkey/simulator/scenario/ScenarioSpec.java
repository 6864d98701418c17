package io.latchkey.simulator.scenario;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.util.List;

/**
 * A scenario as written in a JSON or YAML file (docs/simulator.md has the format): how many cars for how
 * long, how often they report, the people using them, and the faults to inject when. Absent values take
 * the defaults below; {@link #validate} names the first bad one.
 *
 * @param name           shown in the report
 * @param cars           fleet size
 * @param durationSeconds how long people use the fleet and faults run; then faults are lifted and the
 *                       audit waits for the cars to drain their journals
 * @param seed           makes homes, routes, choices of cars and people reproducible
 * @param telemetry      reporting intervals
 * @param people         virtual borrowers and operators
 * @param faults         what goes wrong, when
 */
@JsonIgnoreProperties(ignoreUnknown = false)
public record ScenarioSpec(String name, Integer cars, Integer durationSeconds, Long seed, Integer relayPulseMillis,
                           Telemetry telemetry, People people, Rentals rentals, List<FaultSpec> faults) {

    /**
     * The rental life cycle (docs/simulator.md, "Rentals"). Each person has a car of their own, after the
     * {@code people.borrowers}' cars; absent: no rentals.
     *
     * @param renters               borrowers who rent again and again: find the car free, book it or reserve it now,
     *                              unlock (the rental starts), drive, park, end it at the car
     * @param bookingSeconds        length of each renter's booking (the rental must end inside it)
     * @param tripSeconds           how long each trip drives
     * @param pauseSeconds          between a renter's rentals
     * @param startWithinSeconds    renters start their first rental at a random moment in this window
     * @param immediateShare        share of rentals that start from an immediate reservation (0..1)
     * @param openDoorShare         share of returns that first leave the rear left door open: the car must refuse
     *                              them, naming the door, and accept once it is closed (0..1)
     * @param noShows               immediate reservations made at the start and never taken up: each must lapse
     *                              ({@code NO_SHOW}) after the backend's {@code reservation-hold}
     * @param lapseGraceSeconds     how long past its hold a reservation may take to read {@code NO_SHOW}
     * @param overdue               borrowers who drive on past their booking's end: each booking must read overdue
     *                              and an operator must see the car's {@code BOOKING_OVERDUE} event
     * @param overdueBookingSeconds their booking's length
     * @param overdueWaitSeconds    how long past the end they drive on at most, waiting to be seen
     * @param immobiliseDrills      cars an operator immobilises: refused while a staff driver moves it, carried out
     *                              once parked, then mobilised
     * @param immobiliseAtSeconds   when the drills start
     */
    public record Rentals(Integer renters, Integer bookingSeconds, Integer tripSeconds, Integer pauseSeconds,
                          Integer startWithinSeconds, Double immediateShare, Double openDoorShare, Integer noShows,
                          Integer lapseGraceSeconds, Integer overdue, Integer overdueBookingSeconds,
                          Integer overdueWaitSeconds, Integer immobiliseDrills, Integer immobiliseAtSeconds) {
        public Rentals {
            renters = renters == null ? 0 : renters;
            bookingSeconds = bookingSeconds == null ? 90 : bookingSeconds;
            tripSeconds = tripSeconds == null ? 10 : tripSeconds;
            pauseSeconds = pauseSeconds == null ? 5 : pauseSeconds;
            startWithinSeconds = startWithinSeconds == null ? 5 : startWithinSeconds;
            immediateShare = immediateShare == null ? 0.3 : immediateShare;
            openDoorShare = openDoorShare == null ? 0.3 : openDoorShare;
            noShows = noShows == null ? 0 : noShows;
            lapseGraceSeconds = lapseGraceSeconds == null ? 20 : lapseGraceSeconds;
            overdue = overdue == null ? 0 : overdue;
            overdueBookingSeconds = overdueBookingSeconds == null ? 15 : overdueBookingSeconds;
            overdueWaitSeconds = overdueWaitSeconds == null ? 60 : overdueWaitSeconds;
            immobiliseDrills = immobiliseDrills == null ? 0 : immobiliseDrills;
            immobiliseAtSeconds = immobiliseAtSeconds == null ? 5 : immobiliseAtSeconds;
        }

        public static Rentals none() {
            return new Rentals(null, null, null, null, null, null, null, null, null, null, null, null, null, null);
        }

        /** Cars the rentals need, one per person and drill. */
        public int cars() {
            return renters + noShows + overdue + immobiliseDrills;
        }

        public boolean any() {
            return cars() > 0;
        }
    }

    /** @param movingSeconds interval while driving; @param parkedSeconds while parked */
    public record Telemetry(Integer movingSeconds, Integer parkedSeconds) {
        public Telemetry {
            movingSeconds = movingSeconds == null ? 2 : movingSeconds;
            parkedSeconds = parkedSeconds == null ? 10 : parkedSeconds;
        }
    }

    /**
     * @param borrowers           concurrent borrowers, each with cars of their own (at most one per car)
     * @param tripSeconds         how long each trip drives
     * @param pauseSeconds        between trips
     * @param startWithinSeconds  borrowers start their first trip at a random moment in this window (0:
     *                            all at once, a rush)
     * @param operators           operators watching the fleet
     * @param operatorPollSeconds how often each operator looks
     * @param commandsPerSecond   extra fleet-wide UNLOCK/LOCK load issued by an operator (0 for none)
     */
    public record People(Integer borrowers, Integer tripSeconds, Integer pauseSeconds, Integer startWithinSeconds,
                         Integer operators, Integer operatorPollSeconds, Double commandsPerSecond) {
        public People {
            borrowers = borrowers == null ? 0 : borrowers;
            tripSeconds = tripSeconds == null ? 15 : tripSeconds;
            pauseSeconds = pauseSeconds == null ? 5 : pauseSeconds;
            startWithinSeconds = startWithinSeconds == null ? 5 : startWithinSeconds;
            operators = operators == null ? 1 : operators;
            operatorPollSeconds = operatorPollSeconds == null ? 5 : operatorPollSeconds;
            commandsPerSecond = commandsPerSecond == null ? 0.0 : commandsPerSecond;
        }
    }

    public ScenarioSpec {
        name = name == null ? "scenario" : name;
        cars = cars == null ? 10 : cars;
        durationSeconds = durationSeconds == null ? 60 : durationSeconds;
        seed = seed == null ? 1L : seed;
        relayPulseMillis = relayPulseMillis == null ? 0 : relayPulseMillis;
        telemetry = telemetry == null ? new Telemetry(null, null) : telemetry;
        people = people == null ? new People(null, null, null, null, null, null, null) : people;
        rentals = rentals == null ? Rentals.none() : rentals;
        faults = faults == null ? List.of() : List.copyOf(faults);
    }

    /** @throws ScenarioException naming the first bad value */
    public ScenarioSpec validate() {
        check(cars >= 1 && cars <= 20_000, "cars must be 1..20000, got " + cars);
        check(durationSeconds >= 1 && durationSeconds <= 86_400, "durationSeconds must be 1..86400, got " + durationSeconds);
        check(relayPulseMillis >= 0 && relayPulseMillis <= 2_000, "relayPulseMillis must be 0..2000, got " + relayPulseMillis);
        check(telemetry.movingSeconds() >= 1, "telemetry.movingSeconds must be at least 1");
        check(telemetry.parkedSeconds() >= 1, "telemetry.parkedSeconds must be at least 1");
        check(people.borrowers() >= 0 && people.borrowers() <= cars, "people.borrowers must be 0..cars (" + cars + "), got " + people.borrowers());
        check(people.tripSeconds() >= 1, "people.tripSeconds must be at least 1");
        check(people.pauseSeconds() >= 0, "people.pauseSeconds must not be negative");
        check(people.startWithinSeconds() >= 0, "people.startWithinSeconds must not be negative");
        check(people.operators() >= 0 && people.operators() <= 100, "people.operators must be 0..100");
        check(people.operatorPollSeconds() >= 1, "people.operatorPollSeconds must be at least 1");
        check(people.commandsPerSecond() >= 0 && people.commandsPerSecond() <= 1_000, "people.commandsPerSecond must be 0..1000");
        Rentals r = rentals;
        check(r.renters() >= 0 && r.noShows() >= 0 && r.overdue() >= 0 && r.immobiliseDrills() >= 0,
                "rentals: renters, noShows, overdue and immobiliseDrills must not be negative");
        check(people.borrowers() + r.cars() <= cars, "people.borrowers + rentals.renters + noShows + overdue + immobiliseDrills"
                + " need a car each: " + (people.borrowers() + r.cars()) + " > cars (" + cars + ")");
        check(r.tripSeconds() >= 1, "rentals.tripSeconds must be at least 1");
        check(r.pauseSeconds() >= 0, "rentals.pauseSeconds must not be negative");
        check(r.startWithinSeconds() >= 0, "rentals.startWithinSeconds must not be negative");
        check(r.bookingSeconds() >= r.tripSeconds() + 30, "rentals.bookingSeconds must leave 30 s past the trip for"
                + " unlocking, parking and returning: at least " + (r.tripSeconds() + 30) + ", got " + r.bookingSeconds());
        check(r.immediateShare() >= 0 && r.immediateShare() <= 1, "rentals.immediateShare must be 0..1, got " + r.immediateShare());
        check(r.openDoorShare() >= 0 && r.openDoorShare() <= 1, "rentals.openDoorShare must be 0..1, got " + r.openDoorShare());
        check(r.lapseGraceSeconds() >= 1 && r.lapseGraceSeconds() <= 600, "rentals.lapseGraceSeconds must be 1..600");
        check(r.overdueBookingSeconds() >= 5, "rentals.overdueBookingSeconds must be at least 5");
        check(r.overdueWaitSeconds() >= 1 && r.overdueWaitSeconds() <= 3_600, "rentals.overdueWaitSeconds must be 1..3600");
        check(r.immobiliseAtSeconds() >= 0 && r.immobiliseAtSeconds() < durationSeconds,
                "rentals.immobiliseAtSeconds must be 0..durationSeconds-1");
        check(r.overdue() == 0 || people.operators() >= 1, "rentals.overdue needs at least one operator to see the alert");
        for (int i = 0; i < faults.size(); i++) {
            faults.get(i).validate("faults[" + i + "]", durationSeconds);
        }
        return this;
    }

    static void check(boolean ok, String message) {
        if (!ok) {
            throw new ScenarioException(message);
        }
    }
}
