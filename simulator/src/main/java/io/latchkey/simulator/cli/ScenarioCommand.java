package io.latchkey.simulator.cli;

import io.latchkey.simulator.api.LatchkeyClient;
import io.latchkey.simulator.scenario.ScenarioException;
import io.latchkey.simulator.scenario.ScenarioFiles;
import io.latchkey.simulator.scenario.ScenarioReport;
import io.latchkey.simulator.scenario.ScenarioRunner;
import io.latchkey.simulator.scenario.ScenarioSpec;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "scenario", mixinStandardHelpOptions = true,
        description = {"Runs a scenario (a YAML/JSON file, or built in: morning-rush, underground-car-park, reboot-storm,",
                "ci-short) against a running backend, then audits it: exit 0 only if no telemetry record was lost or",
                "duplicated, every command was answered or cleanly timed out, and none was executed after its expiry.",
                "Broker-restart faults need a broker the simulator owns (sim bench) and are skipped here.",
                "The offline digital key that opens a car with no network is told by 'sim underground-car-park'."})
public final class ScenarioCommand implements Callable<Integer> {
    @Mixin
    CommonOptions common;

    @Mixin
    AdminOptions admin;

    @Parameters(index = "0", paramLabel = "FILE|NAME", description = "scenario file or built-in name")
    String scenario;

    @Option(names = "--command-timeout", defaultValue = "10", description = "the backend's latchkey.commands.timeout in s (default ${DEFAULT-VALUE})")
    int commandTimeout;

    @Option(names = "--json", description = "also write the report as JSON to this file")
    Path json;

    @Override
    public Integer call() throws Exception {
        common.applyLogging();
        if (admin.missing() != null) {
            System.err.println("scenario: " + admin.missing());
            return 2;
        }
        ScenarioSpec spec;
        try {
            spec = ScenarioFiles.load(scenario);
        } catch (ScenarioException e) {
            System.err.println("scenario: " + e.getMessage());
            return 2;
        }
        LatchkeyClient api = new LatchkeyClient(common.url, Duration.ofSeconds(60));
        ScenarioReport report = new ScenarioRunner(api, null, Clock.systemUTC(), System.out).run(spec,
                new ScenarioRunner.Options(admin.user, admin.password, common.dataDir("latchkey-scenario"),
                        Duration.ofSeconds(commandTimeout), Duration.ofSeconds(120)));
        report.print(System.out);
        if (json != null) {
            Files.writeString(json, report.toJson() + "\n", StandardCharsets.UTF_8);
        }
        return report.passed() ? 0 : 1;
    }
}
