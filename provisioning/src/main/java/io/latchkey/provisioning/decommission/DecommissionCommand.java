package io.latchkey.provisioning.decommission;

import com.fasterxml.jackson.databind.JsonNode;
import io.latchkey.protocol.Topic;
import io.latchkey.provisioning.Environment;
import io.latchkey.provisioning.ExitCodes;
import io.latchkey.provisioning.Progress;
import io.latchkey.provisioning.ProvisioningException;
import io.latchkey.provisioning.backend.BackendClient;
import io.latchkey.provisioning.backend.BackendUrl;
import io.latchkey.provisioning.login.InstallerToken;
import io.latchkey.provisioning.login.TokenStore;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Revokes a device's certificate: from then on the broker refuses it and drops its live session. */
@Command(name = "decommission", mixinStandardHelpOptions = true,
        description = {"Revoke the certificate of a device that is removed, replaced or lost.",
            "The broker refuses it from then on and drops its live session. This cannot be undone:",
            "a device that comes back into service is provisioned again."})
public final class DecommissionCommand implements Callable<Integer> {
    private final Environment env;

    @Option(names = "--device", required = true, description = "The device id.")
    String deviceId;

    @Option(names = "--reason", defaultValue = "decommissioned", description = "Recorded with the revocation (default: ${DEFAULT-VALUE}).")
    String reason;

    @Option(names = "--tenant", description = "Refuse to run unless signed in to this tenant.")
    String tenant;

    @Option(names = "--url", description = "Override the backend URL stored at login.")
    String url;

    public DecommissionCommand(Environment env) {
        this.env = env;
    }

    @Override
    public Integer call() {
        if (!Topic.isValidDeviceId(deviceId)) {
            throw new ProvisioningException("'" + deviceId + "' is not a device id", "use the id printed on the unit", ExitCodes.USAGE);
        }
        Progress progress = new Progress(env.out(), 2);
        InstallerToken token = progress.run("Checking your sign-in", () -> new TokenStore(env.configDir(), env.clock()).currentFor(tenant),
                t -> "tenant " + t.tenant() + " as " + t.username());
        BackendClient backend = new BackendClient(BackendUrl.parse(url != null ? url : token.url()));
        JsonNode answer = progress.run("Revoking the certificate of " + deviceId,
                () -> backend.decommission(token.accessToken(), token.tenant(), deviceId, reason), a -> "revoked");
        if (answer.hasNonNull("revokedSerials")) {
            progress.note("revoked certificate serials: " + answer.get("revokedSerials"));
        }
        env.out().println("Device " + deviceId + " of tenant " + token.tenant() + " is decommissioned; the broker no longer accepts it.");
        return ExitCodes.OK;
    }
}
