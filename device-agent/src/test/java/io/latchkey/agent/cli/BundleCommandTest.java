package io.latchkey.agent.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.latchkey.agent.AgentMain;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The release tool: an update key, a signed bundle of a release folder, and the device's checks of it. */
class BundleCommandTest {
    @TempDir
    Path tmp;

    record Run(int exit, String out) {
    }

    private Run run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Streams streams = new Streams(new ByteArrayInputStream(new byte[0]), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(out, true, StandardCharsets.UTF_8));
        int exit = AgentMain.commandLine(streams).execute(args);
        return new Run(exit, out.toString(StandardCharsets.UTF_8));
    }

    @Test
    void keygen_build_andVerify_asADeviceWould() throws Exception {
        Path key = tmp.resolve("update.key");
        Run keygen = run("bundle", "keygen", "--out", key.toString());
        assertThat(keygen.exit()).as(keygen.out()).isZero();
        String publicKey = keygen.out().strip();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(key))).isEqualTo("rw-------");

        Path release = Files.createDirectories(tmp.resolve("release/lib"));
        Files.writeString(tmp.resolve("release/device-agent.jar"), "agent");
        Files.writeString(release.resolve("protocol.jar"), "protocol");
        Path bundle = tmp.resolve("b.zip");
        Run build = run("bundle", "build", "--release", tmp.resolve("release").toString(), "--out", bundle.toString(), "--tenant", "acme",
                "--version", "0.3.0", "--key-id", "upd-1", "--key", key.toString());
        assertThat(build.exit()).as(build.out()).isZero();
        assertThat(build.out()).contains("acme 0.3.0, 2 files, signed by upd-1");

        Run ok = run("bundle", "verify", "--bundle", bundle.toString(), "--tenant", "acme", "--running", "0.2.0", "--key-id", "upd-1",
                "--public-key", publicKey);
        assertThat(ok.exit()).as(ok.out()).isZero();
        Run foreign = run("bundle", "verify", "--bundle", bundle.toString(), "--tenant", "globex", "--running", "0.2.0", "--key-id", "upd-1",
                "--public-key", publicKey);
        assertThat(foreign.exit()).isEqualTo(1);
        assertThat(foreign.out()).contains("REFUSED WRONG_TENANT");
        Run downgrade = run("bundle", "verify", "--bundle", bundle.toString(), "--tenant", "acme", "--running", "0.4.0", "--key-id", "upd-1",
                "--public-key", publicKey);
        assertThat(downgrade.out()).contains("REFUSED DOWNGRADE");
    }
}
