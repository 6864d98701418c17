package io.latchkey.provisioning.login;

import io.latchkey.protocol.Topic;
import io.latchkey.provisioning.Environment;
import io.latchkey.provisioning.ExitCodes;
import io.latchkey.provisioning.ProvisioningException;
import io.latchkey.provisioning.backend.BackendClient;
import io.latchkey.provisioning.backend.BackendUrl;
import io.latchkey.provisioning.backend.TokenResponse;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Signs an installer in to one tenant and stores the short-lived token for the other commands. */
@Command(name = "login", mixinStandardHelpOptions = true,
        description = {"Sign in as an installer of one tenant. The access token is stored, readable by you only, in",
            "~/.config/latchkey/installer-token.json until it expires (minutes, not days)."})
public final class LoginCommand implements Callable<Integer> {
    private final Environment env;

    @Option(names = "--url", description = "The backend, e.g. https://cloud.example.com (default: $LATCHKEY_URL or http://127.0.0.1:8080).")
    String url;

    @Option(names = "--tenant", required = true, description = "Your tenant id, e.g. acme.")
    String tenant;

    @Option(names = "--username", required = true, description = "Your e-mail address.")
    String username;

    @Option(names = "--password-env", paramLabel = "VAR", description = "Read the password from this environment variable.")
    String passwordEnv;

    @Option(names = "--password-stdin", description = "Read the password from the first line of standard input.")
    boolean passwordStdin;

    public LoginCommand(Environment env) {
        this.env = env;
    }

    @Override
    public Integer call() {
        if (!Topic.isValidTenantId(tenant)) {
            throw new ProvisioningException("'" + tenant + "' is not a tenant id", "tenant ids are lower-case letters, digits and '-', e.g. acme",
                    ExitCodes.USAGE);
        }
        String base = url != null ? url : env.variables().getOrDefault("LATCHKEY_URL", "http://127.0.0.1:8080");
        BackendClient backend = new BackendClient(BackendUrl.parse(base));
        TokenResponse response = backend.signIn(tenant, username, password());
        Instant now = env.clock().instant();
        TokenClaims claims = TokenClaims.read(response.accessToken());
        if (claims.tenant().isPresent() && !claims.tenant().get().equals(tenant)) {
            throw new NotSignedInException("the backend issued a token for tenant '" + claims.tenant().get() + "', not '" + tenant + "'",
                    "check --url and --tenant; nothing was stored");
        }
        Instant expiresAt = claims.expiresAt().orElse(now.plusSeconds(response.expiresIn()));
        TokenStore store = new TokenStore(env.configDir(), env.clock());
        store.save(new InstallerToken(backend.base().toString(), tenant, username, response.accessToken(), expiresAt, claims.roles()));
        env.out().println("Signed in to tenant " + tenant + " at " + backend.base() + " as " + username
                + (claims.roles().isEmpty() ? "" : " (roles " + String.join(", ", claims.roles()) + ")")
                + " until " + expiresAt + ".");
        env.out().println("Token stored in " + store.file() + " (readable by you only).");
        if (!claims.roles().isEmpty() && !claims.roles().contains("installer") && !claims.roles().contains("tenant-admin")) {
            env.out().println("Warning: this account has no installer role; provisioning will be refused. Ask the tenant admin.");
        }
        return ExitCodes.OK;
    }

    private String password() {
        if (passwordEnv != null) {
            String value = env.variables().get(passwordEnv);
            if (value == null || value.isEmpty()) {
                throw new ProvisioningException("environment variable " + passwordEnv + " is not set", "export it, or use --password-stdin",
                        ExitCodes.USAGE);
            }
            return value;
        }
        if (passwordStdin) {
            try {
                String line = new BufferedReader(new InputStreamReader(env.in(), StandardCharsets.UTF_8)).readLine();
                if (line == null || line.isEmpty()) {
                    throw new ProvisioningException("no password on standard input", "pipe the password in, e.g. from a password manager",
                            ExitCodes.USAGE);
                }
                return line;
            } catch (IOException e) {
                throw new ProvisioningException("cannot read the password from standard input", "use --password-env", ExitCodes.USAGE, e);
            }
        }
        if (System.console() != null) {
            char[] typed = System.console().readPassword("Password for %s: ", username);
            if (typed != null && typed.length > 0) {
                return new String(typed);
            }
        }
        throw new ProvisioningException("no password given", "type it when asked (run in a terminal), or use --password-env VAR or --password-stdin",
                ExitCodes.USAGE);
    }
}
