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
}
