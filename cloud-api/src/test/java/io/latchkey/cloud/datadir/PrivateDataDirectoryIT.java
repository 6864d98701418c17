package io.latchkey.cloud.datadir;

import static org.assertj.core.api.Assertions.assertThat;

import io.latchkey.cloud.it.CloudApp;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Everything under the data directory is the service user's alone: directories 0700, files 0600. */
class PrivateDataDirectoryIT {
    @TempDir
    Path dataDir;

    @Test
    void everyFileTheBackendWrites_isCreated0600_inDirectories0700() throws IOException {
        Files.setPosixFilePermissions(dataDir, PosixFilePermissions.fromString("rwx------"));
        try (CloudApp app = CloudApp.start(dataDir, Map.of())) {
            app.tenantWithAdmin("acme");
            CloudApp.expect(202, app.http.postJson("/t/acme/password-resets", null, Map.of("email", "admin@acme.test")));

            assertThat(dataDir.resolve("tenants/acme/outbox.jsonl")).exists();
            assertThat(modes(dataDir)).containsKeys("broker/conf/config.xml", "broker/tls", "secrets", "platform/master.key",
                    "tenants/acme/docs", "tenants/acme/streams/audit.jsonl");
            List<String> files = List.of("broker/conf/config.xml", "platform/master.key", "secrets/acme.enc",
                    "tenants/acme/outbox.jsonl", "tenants/acme/streams/audit.jsonl");
            files.forEach(f -> assertThat(dataDir.resolve(f)).as(f).exists());
            assertThat(wider(dataDir)).as("files and directories readable by others").isEmpty();
        }
    }

    @Test
    void aDataDirectoryWithWideModes_isTightenedAtStart() throws IOException {
        Path tenantDir = Files.createDirectories(dataDir.resolve("tenants/old/docs/users"));
        Path user = Files.writeString(tenantDir.resolve("u-1.json"), "{\"email\":\"someone@example.com\"}");
        Files.setPosixFilePermissions(user, PosixFilePermissions.fromString("rw-r--r--"));
        for (Path dir : List.of(dataDir, dataDir.resolve("tenants"), dataDir.resolve("tenants/old"), tenantDir)) {
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
        try (CloudApp app = CloudApp.start(dataDir, Map.of())) {
            assertThat(wider(dataDir)).as("files and directories readable by others").isEmpty();
            assertThat(mode(user)).isEqualTo("rw-------");
            assertThat(mode(dataDir)).isEqualTo("rwx------");
        }
    }

    /** Relative path → mode, for every file and directory that anyone but the owner may use. */
    private static Map<String, String> wider(Path root) throws IOException {
        Map<String, String> wide = new TreeMap<>();
        modes(root).forEach((path, mode) -> {
            if (!mode.endsWith("------")) {
                wide.put(path, mode);
            }
        });
        return wide;
    }

    private static Map<String, String> modes(Path root) throws IOException {
        Map<String, String> modes = new TreeMap<>();
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path p : paths.toList()) {
                modes.put(root.relativize(p).toString(), mode(p));
            }
        }
        return modes;
    }

    private static String mode(Path p) throws IOException {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(p, LinkOption.NOFOLLOW_LINKS));
    }
}
