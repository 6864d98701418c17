package io.latchkey.simulator.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.latchkey.simulator.api.LatchkeyClient;
import io.latchkey.simulator.broker.ManagedBroker;
import io.latchkey.simulator.scenario.ScenarioFiles;
import io.latchkey.simulator.scenario.ScenarioReport;
import io.latchkey.simulator.scenario.ScenarioRunner;
import io.latchkey.simulator.scenario.ScenarioSpec;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The CI scenario ({@code ci-short}: 50 cars, 60 s, a connectivity-loss window, agents killed and
 * rebooted, GNSS loss, skewed clocks, borrowers and an operator) against the real backend in this JVM,
 * which uses a broker the test owns. Fails on any lost or duplicated telemetry record, any command
 * neither answered nor cleanly timed out, and any command executed after its expiry.
 */
class ScenarioCiIT {
    private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(3);

    @TempDir
    Path brokerDir;

    @TempDir
    Path backendDir;

    @TempDir
    Path agentsDir;

    @Test
    void ciScenario_losesNothing_duplicatesNothing_andExecutesNothingLate() {
        ScenarioSpec spec = ScenarioFiles.load("ci-short");
        try (ManagedBroker broker = new ManagedBroker(brokerDir, 0, true);
             Backend backend = new Backend(backendDir, Map.of(
                     "latchkey.mqtt.embedded", "false",
                     "latchkey.mqtt.url", broker.url(),
                     "latchkey.commands.timeout", COMMAND_TIMEOUT.toMillis() + "ms"))) {
            LatchkeyClient api = new LatchkeyClient(backend.url(), Duration.ofSeconds(30));
            ScenarioReport report = new ScenarioRunner(api, broker, Clock.systemUTC(), System.out).run(spec,
                    new ScenarioRunner.Options(Backend.ADMIN_USER, Backend.ADMIN_PASSWORD, agentsDir, COMMAND_TIMEOUT,
                            Duration.ofSeconds(60)));
            report.print(System.out);
            System.out.println(report.toJson());

            assertThat(report.failures()).isEmpty();
            assertThat(report.telemetry().stored()).as("records stored").isGreaterThan(50L * 5);
            assertThat(report.commands().executed()).as("commands executed").isPositive();
            assertThat(report.people().trips()).as("trips completed").isPositive();
        }
    }

    /**
     * The rental life cycle at small scale ({@code ci-rentals}): renters book or reserve, start at the car, return
     * with a door open (refused) and closed (ended); reservations never taken up lapse after the backend's hold;
     * an overdue driver is seen by the operator; an IMMOBILISE is refused while the car moves and carried out once
     * it is parked. The report must have seen each outcome the file asks for, and no forbidden one.
     */
    @Test
    void rentalScenario_seesEveryOutcomeOfTheRentalLifeCycle() {
        ScenarioSpec spec = ScenarioFiles.load("ci-rentals");
        try (ManagedBroker broker = new ManagedBroker(brokerDir, 0, true);
             Backend backend = new Backend(backendDir, RENTAL_BACKEND.apply(broker.url()))) {
            LatchkeyClient api = new LatchkeyClient(backend.url(), Duration.ofSeconds(30));
            ScenarioReport report = new ScenarioRunner(api, broker, Clock.systemUTC(), System.out).run(spec,
                    new ScenarioRunner.Options(Backend.ADMIN_USER, Backend.ADMIN_PASSWORD, agentsDir, COMMAND_TIMEOUT,
                            Duration.ofSeconds(60)));
            report.print(System.out);

            assertThat(report.failures()).isEmpty();
            assertThat(report.rentals()).isNotNull();
            assertThat(report.rentals().count("RETURN_REFUSED_DOOR_OPEN")).as("returns refused for an open door").isPositive();
            assertThat(report.rentals().count("RETURN_ACCEPTED")).as("every refused return accepted once the door was closed")
                    .isGreaterThanOrEqualTo(report.rentals().count("RETURN_REFUSED_DOOR_OPEN"));
            assertThat(report.rentals().count("RESERVATION_LAPSED")).isEqualTo((long) spec.rentals().noShows());
            assertThat(report.rentals().count("OVERDUE_EVENT_SEEN")).isEqualTo((long) spec.rentals().overdue());
            assertThat(report.rentals().count("IMMOBILISE_REFUSED_MOVING")).isEqualTo((long) spec.rentals().immobiliseDrills());
            assertThat(report.rentals().count("IMMOBILISE_ACCEPTED_PARKED")).isEqualTo((long) spec.rentals().immobiliseDrills());
            assertThat(report.rentals().count("RETURN_ACCEPTED_WITH_DOOR_OPEN")).isZero();
            assertThat(report.rentals().count("IMMOBILISED_WHILE_MOVING")).isZero();
            assertThat(report.commands().executedAfterExpiry()).isZero();
            assertThat(report.commands().unexplainedActivations()).isZero();
        }
    }

    /** The backend for rentals: a hold of seconds (the minimum is 5 s), and sweeps every second so lapses and overdue show quickly. */
    private static final java.util.function.Function<String, Map<String, Object>> RENTAL_BACKEND = brokerUrl -> Map.of(
            "latchkey.mqtt.embedded", "false",
            "latchkey.mqtt.url", brokerUrl,
            "latchkey.commands.timeout", COMMAND_TIMEOUT.toMillis() + "ms",
            "latchkey.bookings.reservation-hold", "8s",
            "latchkey.bookings.sweep-interval", "1s",
            "latchkey.rentals.sweep-interval", "1s");
}
