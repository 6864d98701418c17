package io.latchkey.simulator.rollout;

import io.latchkey.agent.ota.UpdateBundle;
import io.latchkey.protocol.key.TenantSigned;
import io.latchkey.protocol.ota.UpdateManifest;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.time.Instant;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.zip.ZipEntry;

/**
 * A release for the simulated fleet: the agents run in the simulator's JVM whatever their slot holds, so the release is
 * a small synthetic one — a {@code device-agent.jar} with a manifest and a marker class file's worth of bytes, and one
 * file under {@code lib/} — built and signed into a bundle with the agent's own release tool ({@link UpdateBundle#build},
 * what {@code latchkey-agent bundle build} runs). The factory folder is the package's release the cars start from.
 */
public final class SyntheticRelease {
    /** A signed bundle and what an offer needs of it. */
    public record Bundle(Path file, String version, long size, String sha256, TenantSigned manifest) {
    }

    private SyntheticRelease() {
    }

    /** The package's release of {@code version}: the folder the launcher twin falls back to. */
    public static Path factory(Path dir, String version) throws IOException {
        release(dir, version);
        return dir;
    }

    /** Builds and signs the release {@code version} for {@code tenant} with the update key {@code keyId}. */
    public static Bundle bundle(Path work, String tenant, String version, String keyId, PrivateKey key) throws IOException {
        Path release = release(work.resolve("release-" + version), version);
        Path out = work.resolve("latchkey-agent-" + version + ".zip");
        UpdateManifest manifest = UpdateBundle.build(release, out, tenant, version, null, false, 1, Instant.now(), keyId, key);
        return new Bundle(out, manifest.version(), Files.size(out), UpdateBundle.sha256(out), UpdateBundle.manifestOf(out));
    }

    private static Path release(Path dir, String version) throws IOException {
        Files.createDirectories(dir.resolve("lib"));
        Manifest mf = new Manifest();
        mf.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        mf.getMainAttributes().put(Attributes.Name.IMPLEMENTATION_TITLE, "device-agent (simulated release)");
        mf.getMainAttributes().put(Attributes.Name.IMPLEMENTATION_VERSION, version);
        try (OutputStream file = Files.newOutputStream(dir.resolve("device-agent.jar"));
             JarOutputStream jar = new JarOutputStream(file, mf)) {
            jar.putNextEntry(new ZipEntry("io/latchkey/agent/RELEASE"));
            // some bytes that do not compress away, so the bundle has a size like a small real jar's class files
            java.util.SplittableRandom random = new java.util.SplittableRandom(version.hashCode());
            byte[] body = new byte[16 * 1024];
            random.nextBytes(body);
            jar.write(body);
            jar.closeEntry();
        }
        Files.writeString(dir.resolve("lib/NOTICE"), "simulated release " + version + "\n", StandardCharsets.UTF_8);
        return dir;
    }
}
