package io.latchkey.hal.gnss.gpsd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.latchkey.hal.gnss.GnssFix;
import java.io.File;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Against a real gpsd: Debian's {@code gpsfake} (package gpsd-clients) starts gpsd on a free port and
 * feeds it the nl2008u capture. Skipped when gpsfake is not installed.
 */
class GpsdGnssIT {

    @Test
    void realGpsd_fedARealCapture_reportsItsFixes(@TempDir Path dir) throws Exception {
        Path gpsfake = onPath("gpsfake");
        assumeTrue(gpsfake != null, "gpsfake not installed (apt-get install gpsd gpsd-clients)");
        Path log = dir.resolve("nl2008u.log");
        try (InputStream in = Objects.requireNonNull(getClass().getResourceAsStream("/nmea/nl2008u.log"))) {
            Files.copy(in, log);
        }
        int port = freePort();
        Process fake = new ProcessBuilder(gpsfake.toString(), "-1", "-q", "-P", String.valueOf(port), "-c", "0.2", log.toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("gpsfake.out").toFile()).start();
        List<GnssFix> fixes = new CopyOnWriteArrayList<>();
        try (GpsdGnss gnss = new GpsdGnss(new InetSocketAddress(InetAddress.getLoopbackAddress(), port),
                Duration.ofMillis(200), Duration.ofMillis(500))) {
            gnss.addListener(fixes::add);
            gnss.start();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(45);
            while (fixes.stream().noneMatch(f -> f.mode() == GnssFix.MODE_3D && f.time() != null) && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
        } finally {
            fake.descendants().forEach(ProcessHandle::destroy);
            fake.destroy();
            fake.waitFor(10, TimeUnit.SECONDS);
        }
        GnssFix fix = fixes.stream().filter(f -> f.mode() == GnssFix.MODE_3D && f.time() != null).findFirst()
                .orElseThrow(() -> new AssertionError("no 3D fix from gpsd; got " + fixes));
        // The capture drives near Schramberg-Sulgen, 48.2N 8.4E.
        assertThat(fix.lat()).isCloseTo(48.219, within(0.003));
        assertThat(fix.lon()).isCloseTo(8.418, within(0.005));
        assertThat(fix.altMsl()).isBetween(700.0, 800.0);
    }

    private static Path onPath(String program) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            Path candidate = Path.of(dir, program);
            if (Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        return null;
    }

    private static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}
