package io.latchkey.provisioning;

import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Map;

/** Runs the real command line with a temporary config directory, a settable clock and captured output. */
public final class Cli {
    public final Path configDir;
    public Instant now = Instant.now();
    public String out = "";
    public String err = "";

    public Cli(Path configDir) {
        this.configDir = configDir;
    }

    public int run(String... args) {
        StringWriter outText = new StringWriter();
        StringWriter errText = new StringWriter();
        Clock clock = new Clock() {
            @Override
            public ZoneId getZone() {
                return ZoneId.of("UTC");
            }

            @Override
            public Clock withZone(ZoneId zone) {
                return this;
            }

            @Override
            public Instant instant() {
                return now;
            }
        };
        Environment env = new Environment(configDir, clock, new SecureRandom(), new PrintWriter(outText, true), new PrintWriter(errText, true),
                new ByteArrayInputStream(new byte[0]), Map.of("INSTALLER_PASSWORD", FakeBackend.PASSWORD));
        int code = ProvisioningMain.commandLine(env).execute(args);
        out = outText.toString();
        err = errText.toString();
        return code;
    }

    public void advance(Duration duration) {
        now = now.plus(duration);
    }

    public int login(FakeBackend backend) {
        return run("login", "--url", backend.url(), "--tenant", FakeBackend.TENANT, "--username", FakeBackend.USER,
                "--password-env", "INSTALLER_PASSWORD");
    }

    public static String utf8(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
