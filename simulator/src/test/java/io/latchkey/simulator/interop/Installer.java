package io.latchkey.simulator.interop;

import io.latchkey.provisioning.Environment;
import io.latchkey.provisioning.ProvisioningMain;
import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Map;

/** One installer's real command line, in-process, with their own config directory (stored sign-in). */
final class Installer {
    private final Path configDir;
    String out = "";
    String err = "";

    Installer(Path configDir) {
        this.configDir = configDir;
    }

    int run(String... args) {
        StringWriter outText = new StringWriter();
        StringWriter errText = new StringWriter();
        Environment env = new Environment(configDir, Clock.systemUTC(), new SecureRandom(), new PrintWriter(outText, true),
                new PrintWriter(errText, true), new ByteArrayInputStream(new byte[0]), Map.of("INSTALLER_PASSWORD", Backend.PASSWORD));
        int code = ProvisioningMain.commandLine(env).execute(args);
        out = outText.toString();
        err = errText.toString();
        return code;
    }

    /** Runs and fails with the tool's own output unless it exits 0. */
    void ok(String... args) {
        int code = run(args);
        if (code != 0) {
            throw new AssertionError("latchkey provision " + String.join(" ", args) + " exited " + code + "\n" + out + "\n" + err);
        }
    }

    void login(Backend backend, String tenant, String email) {
        ok("login", "--url", backend.url(), "--tenant", tenant, "--username", email, "--password-env", "INSTALLER_PASSWORD");
    }
}
