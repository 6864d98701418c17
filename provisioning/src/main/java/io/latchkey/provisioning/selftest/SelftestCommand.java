package io.latchkey.provisioning.selftest;

import com.fasterxml.jackson.databind.JsonNode;
import io.latchkey.hal.vehicle.Vss;
import io.latchkey.protocol.Json;
import io.latchkey.provisioning.Environment;
import io.latchkey.provisioning.ExitCodes;
import io.latchkey.provisioning.ProvisioningException;
import io.latchkey.provisioning.backend.BackendClient;
import io.latchkey.provisioning.backend.BackendUrl;
import io.latchkey.provisioning.bundle.BundleLayout;
import io.latchkey.provisioning.files.PrivateFiles;
import io.latchkey.provisioning.login.InstallerToken;
import io.latchkey.provisioning.login.TokenStore;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Run on the device after fitting: proves the locks, CAN signals, GNSS, key holder, supply and broker
 * connection work, prints a pass/fail table, and uploads a report signed with the device key.
 */
@Command(name = "selftest", mixinStandardHelpOptions = true,
        description = {"On the device, after fitting: pulse unlock and lock and read the feedback, read the CAN signals of the",
            "vehicle profile, wait for a GNSS fix, check the key holder and supply voltage, and connect to the broker",
            "with the device certificate. Prints a pass/fail table, saves install-report.json (signed with the device",
            "key) in the bundle and uploads it. Exit code 0 only if every check passed."})
public final class SelftestCommand implements Callable<Integer> {
    static final List<String> DEFAULT_SIGNALS = List.of(Vss.SPEED, Vss.TRAVELED_DISTANCE, Vss.SUPPLY_VOLTAGE);
    public static final String REPORT_FILE = "install-report.json";

    private final Environment env;

    @Option(names = "--bundle", defaultValue = "/boot/latchkey", paramLabel = "DIR",
            description = "The device bundle (default: ${DEFAULT-VALUE}).")
    Path bundleDir;

    @Option(names = "--simulated", description = {"Use a simulated car instead of the device's hardware (to try the tool).",
        "Without it the hardware is opened as the bundle's agent.properties (hardware.*) configures it, as the agent does."})
    boolean simulated;

    @Option(names = "--no-upload", description = "Do not upload the report (it is still saved in the bundle).")
    boolean noUpload;

    @Option(names = "--feedback-timeout", defaultValue = "PT2S", description = "How long lock feedback may take (default: ${DEFAULT-VALUE}).")
    Duration feedbackTimeout;

    @Option(names = "--gnss-timeout", defaultValue = "PT2M", description = "How long to wait for a GNSS fix (default: ${DEFAULT-VALUE}).")
    Duration gnssTimeout;

    @Option(names = "--signals-timeout", defaultValue = "PT10S", description = "How long to wait for CAN signals (default: ${DEFAULT-VALUE}).")
    Duration signalsTimeout;

    public SelftestCommand(Environment env) {
        this.env = env;
    }

    @Override
    public Integer call() {
        InstalledBundle bundle = InstalledBundle.load(bundleDir);
        Hardware hardware = hardware();
        Waiter waiter = Waiter.real(env.clock());
        env.out().println("Self-test of device " + bundle.deviceId() + " (tenant " + bundle.tenant() + ", car " + bundle.carId() + ")"
                + (simulated ? " on SIMULATED hardware" : ""));
        Instant started = env.clock().instant();
        List<CheckResult> results = new SelfTest(List.of(
                BundleChecks.identity(bundle, env.clock()),
                HardwareChecks.locks(hardware, waiter, feedbackTimeout),
                HardwareChecks.signals(hardware, waiter, expectedSignals(bundle), signalsTimeout),
                HardwareChecks.gnss(hardware, waiter, gnssTimeout),
                HardwareChecks.keyHolder(hardware),
                HardwareChecks.supplyVoltage(hardware, waiter, signalsTimeout),
                BundleChecks.broker(bundle, Duration.ofSeconds(15)))).run(env.out());
        env.out().println();
        env.out().print(ResultTable.render(results));
        report(bundle, started, results);
        return results.stream().allMatch(CheckResult::passed) ? ExitCodes.OK : ExitCodes.CHECK_FAILED;
    }

    private Hardware hardware() {
        if (simulated) {
            return new SimulatedHardwareProvider().open(bundleDir);
        }
        for (HardwareProvider provider : ServiceLoader.load(HardwareProvider.class)) {
            try {
                Hardware hardware = provider.open(bundleDir);
                env.out().println("Hardware opened as " + bundleDir.resolve(BundleLayout.AGENT_CONFIG) + " configures it (" + provider.name() + ").");
                return hardware;
            } catch (RuntimeException | LinkageError e) {
                env.out().println("FAILED: cannot open the device's hardware: " + e.getMessage());
                env.out().println("Next: check the hardware.* keys in " + bundleDir.resolve(BundleLayout.AGENT_CONFIG)
                        + " against the wiring (docs/installer-guide.md, 'Hardware keys') and that this runs on the device"
                        + " (GPIO, serial and CAN need the Pi and a user in the gpio/dialout groups); to try the tool elsewhere, add --simulated."
                        + " The car checks below fail until then.");
                return new Hardware(null, null, null, null);
            }
        }
        env.out().println("No hardware driver is installed on this machine: the car checks will fail. On the device, the agent"
                + " package provides it; to try the tool elsewhere, add --simulated.");
        return new Hardware(null, null, null, null);
    }

    /** The profile's {@code signals} array, or the signals every car must have. */
    static List<String> expectedSignals(InstalledBundle bundle) {
        List<String> signals = new ArrayList<>();
        bundle.vehicleProfile().map(p -> p.path("signals")).filter(JsonNode::isArray).ifPresent(a -> a.forEach(s -> signals.add(s.isObject() ? s.path("vss").asText() : s.asText())));
        return signals.isEmpty() ? DEFAULT_SIGNALS : signals;
    }

    private void report(InstalledBundle bundle, Instant started, List<CheckResult> results) {
        String installer = "unknown";
        InstallerToken token = null;
        try {
            token = new TokenStore(env.configDir(), env.clock()).currentFor(bundle.tenant());
            installer = token.username();
        } catch (ProvisioningException e) {
            if (!noUpload) {
                env.out().println("Report not uploaded: " + e.getMessage() + ". Next: " + e.nextStep() + ", then run selftest again.");
            }
        }
        Map<String, String> signed = InstallReport.signed(bundle, installer, started, env.clock().instant(), results);
        Path file = bundle.dir().resolve(REPORT_FILE);
        try {
            PrivateFiles.writeAtomically(file, Json.write(signed), false);
            env.out().println("Signed report saved to " + file + ".");
        } catch (IOException e) {
            env.out().println("Could not save the report to " + file + ": " + e.getMessage());
        }
        if (token != null && !noUpload) {
            BackendClient backend = new BackendClient(BackendUrl.parse(token.url()));
            try {
                backend.uploadInstallReport(token.accessToken(), bundle.tenant(), bundle.deviceId(), signed);
                env.out().println("Report uploaded: the operator now sees car " + bundle.carId() + " as "
                        + (results.stream().allMatch(CheckResult::passed) ? "installed and verified." : "installed with failed checks."));
            } catch (ProvisioningException e) {
                env.out().println("Report not uploaded: " + e.getMessage() + ". Next: " + e.nextStep());
            }
        }
    }
}
