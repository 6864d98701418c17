package io.latchkey.simulator.cli;

import picocli.CommandLine.Option;

/** The platform admin's credentials, from options or the same environment variables the backend reads. */
public final class AdminOptions {
    @Option(names = "--admin-user", defaultValue = "${env:LATCHKEY_ADMIN_USER}", description = "platform admin user (default: $LATCHKEY_ADMIN_USER)")
    public String user;

    @Option(names = "--admin-password", defaultValue = "${env:LATCHKEY_ADMIN_PASSWORD}", description = "platform admin password (default: $LATCHKEY_ADMIN_PASSWORD)")
    public String password;

    @Option(names = "--admin-password-env", paramLabel = "VAR",
            description = "read the admin password from this environment variable (keeps it out of the process list)")
    public String passwordEnv;

    /** Null when both are present, else what is missing. */
    public String missing() {
        if (passwordEnv != null) {
            password = System.getenv(passwordEnv);
            if (password == null || password.isBlank()) {
                return "environment variable " + passwordEnv + " (from --admin-password-env) is not set";
            }
        }
        if (user == null || user.isBlank()) {
            return "--admin-user (or LATCHKEY_ADMIN_USER) is required";
        }
        if (password == null || password.isBlank()) {
            return "--admin-password (or LATCHKEY_ADMIN_PASSWORD) is required";
        }
        return null;
    }
}
