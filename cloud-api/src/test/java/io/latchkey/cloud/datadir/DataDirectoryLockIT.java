package io.latchkey.cloud.datadir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.latchkey.cloud.Application;
import io.latchkey.cloud.it.CloudApp;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One backend per data directory: a second one, in another JVM or in this one, is refused before it writes anything. */
class DataDirectoryLockIT {
    @TempDir
    Path dataDir;
    @TempDir
    Path outside;

    @Test
    void aSecondBackendProcess_onTheSameDataDirectory_failsAtOnce_namingTheDirectoryAndTheHolder_andChangesNothing()
            throws Exception {
        try (CloudApp first = CloudApp.start(dataDir, Map.of())) {
            first.tenantWithAdmin("acme");
            Map<String, String> before = snapshot(dataDir);
            assertThat(before).containsKeys("broker/conf/config.xml", DataDirectoryLock.FILE_NAME);

            Path log = outside.resolve("second.log");
            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            Process second = new ProcessBuilder(java, "-Xmx256m", "-XX:TieredStopAtLevel=1",
                    "-cp", System.getProperty("java.class.path"), Application.class.getName(),
                    "--latchkey.data-dir=" + dataDir, "--micronaut.server.port=-1", "--latchkey.mqtt.port=0",
                    "--latchkey.mqtt.tls-port=0", "--latchkey.mqtt.persistence=in-memory",
                    "--latchkey.admin.user=admin", "--latchkey.admin.password=" + CloudApp.ADMIN_PASSWORD)
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile())
                    .start();
            try {
                assertThat(second.waitFor(120, TimeUnit.SECONDS)).as("the second backend stops by itself: %s",
                        Files.readString(log)).isTrue();
            } finally {
                second.destroyForcibly();
            }
            String output = Files.readString(log);
            assertThat(second.exitValue()).as(output).isNotZero();
            assertThat(output).contains("the data directory " + dataDir)
                    .contains("in use by another backend (pid " + ProcessHandle.current().pid() + " on ");
            assertThat(snapshot(dataDir)).as("bytes and modification times of every file").isEqualTo(before);
            assertThat(first.http.get("/t/acme/.well-known/jwks.json", null).status()).isEqualTo(200);
        }
    }

    @Test
    void aSecondContext_inThisJvm_isRefusedToo_andTheDirectoryIsFreeAgainOnceTheFirstCloses() {
        try (CloudApp first = CloudApp.start(dataDir, Map.of())) {
            assertThatThrownBy(() -> CloudApp.start(dataDir, Map.of()))
                    .hasStackTraceContaining("the data directory " + dataDir + " (latchkey.data-dir) is in use by another backend");
        }
        try (CloudApp again = CloudApp.start(dataDir, Map.of())) {
            assertThat(again.adminToken()).isNotBlank();
        }
    }

    @Test
    void theLockFile_namesItsHolder() throws IOException {
        try (CloudApp app = CloudApp.start(dataDir, Map.of())) {
            assertThat(app.adminToken()).isNotBlank();
        }
        // read only once closed: closing any descriptor of the file in the holding process drops a POSIX lock
        assertThat(Files.readString(dataDir.resolve(DataDirectoryLock.FILE_NAME)))
                .startsWith("pid " + ProcessHandle.current().pid() + " on ")
                .contains(", started ");
    }

    /**
     * Relative path → hash of the bytes and modification time, for every file and directory. The lock file
     * is not opened: closing any descriptor of it in this process would drop the first backend's lock.
     */
    private static Map<String, String> snapshot(Path root) throws IOException {
        Map<String, String> entries = new TreeMap<>();
        try (Stream<Path> paths = Files.walk(root)) {
            paths.forEach(p -> {
                try {
                    boolean lockFile = p.getFileName().toString().equals(DataDirectoryLock.FILE_NAME);
                    String content = lockFile ? "size " + Files.size(p) : Files.isRegularFile(p) ? Integer.toString(Arrays.hashCode(Files.readAllBytes(p))) : "dir";
                    entries.put(root.relativize(p).toString(), content + " " + Files.getLastModifiedTime(p).toMillis());
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
        return entries;
    }
}
