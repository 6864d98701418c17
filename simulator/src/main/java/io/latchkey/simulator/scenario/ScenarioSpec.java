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
                           Telemetry telemetry, People people, List<FaultSpec> faults) {

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
