package io.latchkey.agent.cli;

import io.latchkey.protocol.Json;
import io.latchkey.protocol.LockState;
import io.latchkey.protocol.telemetry.DeviceState;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;

/**
 * Work the agent's start needs a little later, begun on a second core while the main thread parses the command line and
 * reads the configuration and keys (docs/benchmarks-agent.md, "Start to connected, phase by phase"): Jackson's mapper
 * with the serialisers of the first message the agent writes (its last will, a {@link DeviceState}) and, when the
 * configuration names a TLS broker ({@code ssl://}), the JDK's TLS provider with its tables of protocols and cipher
 * suites and the EC and X.509 classes the handshake uses. Class initialisation is once per JVM and thread-safe: when the
 * main thread gets there first it does the work itself and this thread waits, so nothing is done twice and nothing
 * here can change what the agent does. Any failure here is ignored: the main thread meets it again and reports it.
 */
final class StartupWarmup {
    /** {@code -Dlatchkey.startup.warmup=false} leaves it out (to measure its effect; it is on by default). */
    static final String PROPERTY = "latchkey.startup.warmup";

    private StartupWarmup() {
    }

    /** Starts the warm-up on a daemon thread of its own and returns at once. */
    static void start(Path configFile) {
        Thread t = new Thread(() -> run(configFile), "latchkey-warmup");
        t.setDaemon(true);
        t.start();
    }

    private static void run(Path configFile) {
        try {
            Json.write(new DeviceState("warm-up", false, LockState.UNKNOWN, Instant.EPOCH, "warm-up"));
            if (namesTlsBroker(configFile)) {
                javax.net.ssl.SSLContext.getInstance("TLS");
                javax.net.ssl.KeyManagerFactory.getInstance(javax.net.ssl.KeyManagerFactory.getDefaultAlgorithm());
                javax.net.ssl.TrustManagerFactory.getInstance(javax.net.ssl.TrustManagerFactory.getDefaultAlgorithm());
                java.security.cert.CertificateFactory.getInstance("X.509");
                java.security.KeyFactory.getInstance("EC");
                java.security.Signature.getInstance("SHA256withECDSA");
            }
        } catch (Exception | LinkageError ignored) {
            // only a head start: the main thread does the same work and reports what fails
        }
    }

    /** A cheap look (no parsing): whether the file names an {@code ssl://} broker. */
    private static boolean namesTlsBroker(Path configFile) {
        try {
            return configFile != null && Files.readString(configFile, StandardCharsets.UTF_8).contains("ssl://");
        } catch (java.io.IOException | RuntimeException e) {
            return false;
        }
    }
}
