package io.latchkey.agent.cli;

import io.latchkey.agent.ota.UpdateBundle;
import io.latchkey.protocol.Keys;
import io.latchkey.protocol.ProtocolException;
import io.latchkey.protocol.ota.UpdateManifest;
import io.latchkey.protocol.ota.UpdateRefusedException;
import io.latchkey.protocol.ota.UpdateVerifier;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code latchkey-agent bundle keygen|build|verify}: the release tool of docs/ota.md. {@code keygen} makes an update key
 * (the private half in a 0600 file, the public half printed for {@code update.keys.<keyId>}); {@code build} signs a
 * release folder ({@code device-agent.jar}, {@code lib/}) into a bundle; {@code verify} checks a bundle as a device would.
 */
@Command(name = "bundle", mixinStandardHelpOptions = true, description = "Builds, signs and checks over-the-air update bundles (docs/ota.md).",
        subcommands = {BundleCommand.Keygen.class, BundleCommand.Build.class, BundleCommand.Verify.class})
public final class BundleCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    @Command(name = "keygen", mixinStandardHelpOptions = true, description = "Makes an Ed25519 update key.")
    static final class Keygen implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;
        @Option(names = "--out", required = true, description = "file for the private key (base64 PKCS#8), created 0600")
        Path out;

        @Override
        public Integer call() throws IOException {
            PrintWriter w = spec.commandLine().getOut();
            if (Files.exists(out)) {
                spec.commandLine().getErr().println("latchkey-agent bundle keygen: " + out + " exists; not overwritten");
                return 1;
            }
            KeyPair pair = Keys.newCommandKeyPair();
            Files.createFile(out, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(out, Keys.encodePrivate(pair.getPrivate()) + "\n");
            w.println(Keys.encodePublic(pair.getPublic()));
            return 0;
        }
    }

    @Command(name = "build", mixinStandardHelpOptions = true, description = "Signs a release folder into a bundle.")
    static final class Build implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;
        @Option(names = "--release", required = true, description = "folder with device-agent.jar and lib/") Path release;
        @Option(names = "--out", required = true, description = "the bundle to write") Path out;
        @Option(names = "--tenant", required = true) String tenant;
        @Option(names = "--version", required = true, description = "the release's version") String version;
        @Option(names = "--min-version", description = "the lowest version that may update to it") String minVersion;
        @Option(names = "--allow-downgrade", description = "devices on a newer version may install it") boolean allowDowngrade;
        @Option(names = "--config-schema", defaultValue = "1", description = "runtime configuration schema version (default ${DEFAULT-VALUE})") int configSchema;
        @Option(names = "--key-id", required = true, description = "the update key's id, as pinned (update.keys.<keyId>)") String keyId;
        @Option(names = "--key", required = true, description = "the update key's private half (from keygen)") Path key;

        @Override
        public Integer call() throws IOException {
            try {
                UpdateManifest m = UpdateBundle.build(release, out, tenant, version, minVersion, allowDowngrade, configSchema, Instant.now(),
                        keyId, Keys.decodeCommandPrivateKey(Files.readString(key).strip()));
                spec.commandLine().getOut().printf("%s: %s %s, %d files, signed by %s; sha256 %s, %d bytes%n", out, m.tenant(), m.version(),
                        m.files().size(), keyId, UpdateBundle.sha256(out), Files.size(out));
                return 0;
            } catch (ProtocolException e) {
                spec.commandLine().getErr().println("latchkey-agent bundle build: " + e.getMessage());
                return 1;
            }
        }
    }

    @Command(name = "verify", mixinStandardHelpOptions = true, description = "Checks a bundle as a device would.")
    static final class Verify implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;
        @Option(names = "--bundle", required = true) Path bundle;
        @Option(names = "--tenant", required = true) String tenant;
        @Option(names = "--running", required = true, description = "the version the device runs") String running;
        @Option(names = "--key-id", required = true) String keyId;
        @Option(names = "--public-key", required = true, description = "the update key's public half (base64)") String publicKey;

        @Override
        public Integer call() {
            try {
                UpdateManifest m = UpdateBundle.verify(bundle, new UpdateVerifier(Map.of(keyId, Keys.decodeCommandPublicKey(publicKey)), tenant,
                        io.latchkey.agent.config.AgentConfig.CONFIG_SCHEMA), running);
                spec.commandLine().getOut().printf("OK: %s %s over %s, %d files%n", m.tenant(), m.version(), running, m.files().size());
                return 0;
            } catch (UpdateRefusedException e) {
                spec.commandLine().getOut().println("REFUSED " + e.getMessage());
                return 1;
            }
        }
    }
}
