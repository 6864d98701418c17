package io.latchkey.agent.ota;

import io.latchkey.protocol.Keys;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Instant;

/** Test releases: a folder with a device-agent.jar and a lib/, and the signed bundle of it. */
final class Releases {
    static final KeyPair UPDATE_KEY = Keys.newCommandKeyPair();
    static final Instant CREATED = Instant.parse("2026-12-06T00:00:00Z");

    private Releases() {
    }

    static Path release(Path dir, String version) throws IOException {
        Files.createDirectories(dir.resolve("lib"));
        Files.writeString(dir.resolve("device-agent.jar"), "agent " + version);
        Files.writeString(dir.resolve("lib/protocol.jar"), "protocol " + version + " " + "x".repeat(1000));
        return dir;
    }

    static Path bundle(Path tmp, String tenant, String version, boolean allowDowngrade) throws IOException {
        Path release = release(tmp.resolve("release-" + tenant + "-" + version), version);
        Path out = tmp.resolve("bundle-" + tenant + "-" + version + ".zip");
        UpdateBundle.build(release, out, tenant, version, null, allowDowngrade, 1, CREATED, "upd-1", UPDATE_KEY.getPrivate());
        return out;
    }
}
