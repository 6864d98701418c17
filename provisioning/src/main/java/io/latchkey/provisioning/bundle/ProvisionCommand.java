package io.latchkey.provisioning.bundle;

import io.latchkey.protocol.Ids;
import io.latchkey.protocol.Topic;
import io.latchkey.provisioning.Environment;
import io.latchkey.provisioning.ExitCodes;
import io.latchkey.provisioning.Progress;
import io.latchkey.provisioning.ProvisioningException;
import io.latchkey.provisioning.backend.BackendClient;
import io.latchkey.provisioning.backend.BackendUrl;
import io.latchkey.provisioning.backend.CertificateResponse;
import io.latchkey.provisioning.login.InstallerToken;
import io.latchkey.provisioning.login.TokenStore;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Gives one device its identity: a key pair generated here, a certificate from the tenant's device CA,
 * and the bundle the agent boots from. The bundle directory is checked before anything is generated,
 * and the bundle appears complete or not at all.
 */
@Command(name = "provision", mixinStandardHelpOptions = true,
        description = {"Create the identity of one device and write its bundle to DIR/latchkey/:",
            "agent.properties, device.crt, device.key (0600), ca-chain.pem, broker-ca.pem, command-keys.json,",
            "vehicle-profile.json and bundle.json. The private key never leaves this machine."})
public final class ProvisionCommand implements Callable<Integer> {
    private final Environment env;

    @Option(names = "--car", required = true, description = "The car's id in the backend, e.g. car-7.")
    String carId;

    @Option(names = "--device", required = true, description = "The device id printed on the unit, e.g. dev-001.")
    String deviceId;

    @Option(names = "--bundle", required = true, paramLabel = "DIR",
            description = "Where to write the bundle, e.g. the mounted boot partition of the device's SD card.")
    Path bundleDir;

    @Option(names = "--tenant", description = "Refuse to run unless signed in to this tenant.")
    String tenant;

    @Option(names = "--url", description = "Override the backend URL stored at login.")
    String url;

    @Option(names = "--data-dir", defaultValue = "/var/lib/latchkey",
            description = "The agent's data directory on the device (default: ${DEFAULT-VALUE}).")
    String dataDir;

    @Option(names = "--hardware", defaultValue = "pi", paramLabel = "pi|simulated",
            converter = HardwareChoiceConverter.class,
            description = {"The device's hardware, written as the hardware.* keys of agent.properties (default: ${DEFAULT-VALUE}):",
                "pi = the standard Latchkey Pi wiring (docs/installer-guide.md), simulated = every part simulated (bench/demo)."})
    HardwareSection.Choice hardware;

    @Option(names = "--replace", description = "Replace an existing bundle in DIR (the old one is kept as latchkey.replaced-*).")
    boolean replace;

    public ProvisionCommand(Environment env) {
        this.env = env;
    }

    @Override
    public Integer call() {
        requireIds();
        Progress progress = new Progress(env.out(), 7);
        InstallerToken token = progress.run("Checking your sign-in", () -> new TokenStore(env.configDir(), env.clock()).currentFor(tenant),
                t -> "tenant " + t.tenant() + " as " + t.username() + ", valid until " + t.expiresAt());
        BundleDirectory target = new BundleDirectory(bundleDir, replace);
        progress.run("Checking " + target.bundle() + " can be written", target::checkUsable, "ok");
        DeviceKeys keys = progress.run("Generating the device key pair (EC P-256)", () -> DeviceKeys.generate(env.random()),
                k -> "done; the private key stays on this machine");
        String csr = progress.run("Building the certificate request for CN=" + deviceId + ", O=" + token.tenant(),
                () -> keys.csrPem(token.tenant(), deviceId), c -> "done");
        BackendClient backend = new BackendClient(BackendUrl.parse(url != null ? url : token.url()));
        CertificateResponse response = progress.run("Requesting the device certificate from " + backend.base(),
                () -> backend.requestCertificate(token.accessToken(), token.tenant(), deviceId, carId, csr), r -> "issued");
        IssuedCertificate issued = progress.run("Checking the certificate matches this device's key and tenant CA",
                () -> IssuedCertificate.check(response.certificate(), response.caChain(), keys.keyPair().getPublic(), token.tenant(), deviceId),
                i -> "serial " + i.serialHex() + ", valid until " + i.certificate().getNotAfter().toInstant());
        DeviceBundle.Identity identity = new DeviceBundle.Identity(token.tenant(), deviceId, carId, dataDir, token.username(), env.clock().instant(), hardware);
        Path written = progress.run("Writing the bundle", () -> write(target, identity, keys, issued, response), Path::toString);
        summary(target, written, response);
        return ExitCodes.OK;
    }

    private Path write(BundleDirectory target, DeviceBundle.Identity identity, DeviceKeys keys, IssuedCertificate issued,
                       CertificateResponse response) {
        try {
            List<BundleFile> files = DeviceBundle.files(identity, keys, issued, response);
            return target.write(files);
        } catch (ProvisioningException e) {
            throw new ProvisioningException(e.getMessage() + " (the backend has already issued certificate " + issued.serialHex() + ")",
                    e.nextStep() + "; then run './latchkey provision decommission --device " + deviceId
                    + "' and provision again, because the key of that certificate is lost", e.exitCode(), e);
        }
    }

    private void summary(BundleDirectory target, Path written, CertificateResponse response) {
        env.out().println();
        env.out().println("Device " + deviceId + " of car " + carId + " is provisioned. Bundle: " + written);
        env.out().println("Hardware: " + hardware.label() + (hardware == HardwareSection.Choice.PI ? " (standard Latchkey Pi wiring)" : "")
                + "; vehicle profile: " + (response.vehicleProfile() != null ? response.vehicleProfile()
                : "none (the car has no vehicle profile: no CAN signals)") + ".");
        if (!target.keepsPermissions()) {
            env.out().println("Warning: " + written.getParent() + " does not keep file permissions (FAT?): device.key is readable by anyone"
                    + " who can read the card. Keep the card with you until it is in the device.");
        }
        if (response.mqttUrl().startsWith("tcp://")) {
            env.out().println("Warning: the backend gave a plain " + response.mqttUrl() + " broker: the device will connect without TLS"
                    + " and without its certificate. This is only acceptable on a development backend.");
        }
        env.out().println("Next: put the card in the device, power it on, then run './latchkey provision selftest' on the device.");
    }

    static final class HardwareChoiceConverter implements picocli.CommandLine.ITypeConverter<HardwareSection.Choice> {
        @Override
        public HardwareSection.Choice convert(String value) {
            for (HardwareSection.Choice c : HardwareSection.Choice.values()) {
                if (c.label().equals(value)) {
                    return c;
                }
            }
            throw new picocli.CommandLine.TypeConversionException("'" + value + "' is not a hardware choice: use pi or simulated");
        }
    }

    private void requireIds() {
        if (!Topic.isValidDeviceId(deviceId)) {
            throw new ProvisioningException("'" + deviceId + "' is not a device id", "use the id printed on the unit: letters, digits, '-' or '_'",
                    ExitCodes.USAGE);
        }
        if (!Ids.isValid(carId)) {
            throw new ProvisioningException("'" + carId + "' is not a car id", "use the car id shown in the operator console", ExitCodes.USAGE);
        }
        if (tenant != null && !Topic.isValidTenantId(tenant)) {
            throw new ProvisioningException("'" + tenant + "' is not a tenant id", "tenant ids are lower-case letters, digits and '-'",
                    ExitCodes.USAGE);
        }
    }
}
