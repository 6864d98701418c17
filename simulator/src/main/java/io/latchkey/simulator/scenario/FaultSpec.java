package io.latchkey.simulator.scenario;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/**
 * One fault on the scenario's timeline.
 *
 * @param type        what goes wrong
 * @param atSeconds   when, from the start of the scenario
 * @param forSeconds  how long it lasts (connectivity loss, GNSS loss, low voltage: the window; agent
 *                    restart: how long the car stays powered off; broker restart: downtime); 0 = to the end
 *                    (agent restart: back at once)
 * @param cars        which cars: {@code all}, a count {@code 5}, a share {@code 20%} (picked with the
 *                    seed), or a range of fleet indices {@code 0-9}
 * @param volts       low voltage: the battery's resting voltage during the window (default 11.4)
 * @param skewSeconds clock skew: the cars' clock offset from true time, may be negative
 */
public record FaultSpec(Type type, Double atSeconds, Double forSeconds, String cars, Double volts, Double skewSeconds) {
    public enum Type {
        CONNECTIVITY_LOSS, BROKER_RESTART, AGENT_RESTART, GNSS_LOST, GNSS_SILENT, LOW_VOLTAGE, CLOCK_SKEW;

        @JsonCreator
        public static Type parse(String s) {
            try {
                return valueOf(s.trim().toUpperCase(Locale.ROOT).replace('-', '_'));
            } catch (IllegalArgumentException e) {
                throw new ScenarioException("unknown fault type '" + s + "'; one of connectivity-loss, broker-restart, "
                        + "agent-restart, gnss-lost, gnss-silent, low-voltage, clock-skew");
            }
        }

        @JsonValue
        public String id() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }
    }

    public FaultSpec {
        atSeconds = atSeconds == null ? 0.0 : atSeconds;
        forSeconds = forSeconds == null ? 0.0 : forSeconds;
        cars = cars == null ? "all" : cars.trim();
        volts = volts == null ? 11.4 : volts;
        skewSeconds = skewSeconds == null ? 0.0 : skewSeconds;
    }

    void validate(String where, int durationSeconds) {
        ScenarioSpec.check(type != null, where + ".type is required");
        ScenarioSpec.check(atSeconds >= 0 && atSeconds <= durationSeconds,
                where + ".atSeconds must be within the scenario (0.." + durationSeconds + "), got " + atSeconds);
        ScenarioSpec.check(forSeconds >= 0, where + ".forSeconds must not be negative");
        ScenarioSpec.check(volts > 0 && volts < 30, where + ".volts must be 0..30");
        ScenarioSpec.check(Math.abs(skewSeconds) <= 86_400, where + ".skewSeconds must be within a day");
        CarSelector.parse(cars, where + ".cars");
    }
}
