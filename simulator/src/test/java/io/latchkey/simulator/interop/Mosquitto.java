package io.latchkey.simulator.interop;

import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A real Mosquitto (Debian's {@code mosquitto}) started on free loopback ports with a configuration
 * generated from the documented one in {@code docs/mosquitto}: the paths under {@code /etc/latchkey/mosquitto}
 * moved to a temporary folder, the acme block copied for every tenant, the ACL made from the template.
 */
final class Mosquitto implements AutoCloseable {
    static final Path DOCS = locateDocs();
    private static final String ETC = "/etc/latchkey/mosquitto/";

    private Process process;
    private final Path log;
    private Path config;
    final int platformPort;
    final Map<String, Integer> tenantPorts;

    private Mosquitto(Process process, Path log, int platformPort, Map<String, Integer> tenantPorts) {
        this.process = process;
        this.log = log;
        this.platformPort = platformPort;
        this.tenantPorts = tenantPorts;
    }

    /** The binary, if installed (CI installs it with apt). */
    static Optional<Path> binary() {
        for (String dir : List.of("/usr/sbin", "/usr/bin", "/usr/local/sbin", "/usr/local/bin")) {
            Path candidate = Path.of(dir, "mosquitto");
            if (Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    /**
     * @param home     holds platform-ca.pem, broker.crt, broker.key and tenants/{tenant}/device-ca.pem + device-ca.crl
     * @param tenants  tenant ids; each gets a listener
     */
    static Mosquitto start(Path home, List<String> tenants) throws IOException, InterruptedException {
        String documented = Files.readString(DOCS.resolve("mosquitto.conf"));
        String template = Files.readString(DOCS.resolve("acl-tenant.template"));
        int marker = documented.indexOf("# --- Tenant acme");
        String head = documented.substring(0, marker);
        String tenantBlock = documented.substring(marker);
        int platformPort = freePort();
        StringBuilder conf = new StringBuilder(head.replace("listener 8883", "listener " + platformPort + " 127.0.0.1"));
        Map<String, Integer> ports = new java.util.LinkedHashMap<>();
        for (String tenant : tenants) {
            int port = freePort();
            ports.put(tenant, port);
            conf.append(tenantBlock.replace("listener 8884", "listener " + port + " 127.0.0.1").replace("tenants/acme/", "tenants/" + tenant + "/")
                    .replace("Tenant acme", "Tenant " + tenant));
            Files.writeString(Files.createDirectories(home.resolve("tenants").resolve(tenant)).resolve("acl"),
                    template.replace("TENANT", tenant));
        }
        Files.copy(DOCS.resolve("acl-platform"), home.resolve("acl-platform"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        String text = conf.toString().replace(ETC, home.toAbsolutePath() + "/")
                .replace("persistence true", "persistence false")
                .replace("persistence_location /var/lib/mosquitto/", "persistence_location " + home.toAbsolutePath() + "/")
                // Run as whoever runs the test: as root Mosquitto would otherwise switch to the 'mosquitto' user,
                // who cannot read a test's private temporary folder.
                + "\nuser " + System.getProperty("user.name") + "\n";
        Path config = home.resolve("mosquitto.conf");
        Files.writeString(config, text);
        Path log = home.resolve("mosquitto.log");
        Process process = new ProcessBuilder(binary().orElseThrow().toString(), "-c", config.toString())
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        Mosquitto mosquitto = new Mosquitto(process, log, platformPort, ports);
        mosquitto.config = config;
        mosquitto.awaitListening();
        return mosquitto;
    }

    /** SIGHUP: Mosquitto re-reads its configuration, CRLs included. */
    void reload() throws IOException, InterruptedException {
        new ProcessBuilder("kill", "-HUP", Long.toString(process.pid())).start().waitFor();
    }

    /** Stops Mosquitto (every connection drops; sessions are not persisted) and starts it again on the same ports. */
    void restart() throws IOException, InterruptedException {
        close();
        process = new ProcessBuilder(binary().orElseThrow().toString(), "-c", config.toString())
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        awaitListening();
    }

    String log() {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    private void awaitListening() throws InterruptedException {
        List<Integer> all = new ArrayList<>(tenantPorts.values());
        all.add(platformPort);
        Instant deadline = Instant.now().plus(Duration.ofSeconds(15));
        for (int port : all) {
            while (true) {
                if (!process.isAlive()) {
                    throw new IllegalStateException("mosquitto exited " + process.exitValue() + ":\n" + log());
                }
                try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
                    break;
                } catch (IOException e) {
                    if (Instant.now().isAfter(deadline)) {
                        throw new IllegalStateException("mosquitto does not listen on " + port + ":\n" + log());
                    }
                    Thread.sleep(50);
                }
            }
        }
    }

    private static int freePort() throws IOException {
        return io.latchkey.protocol.net.FreePorts.pick();
    }

    private static Path locateDocs() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path docs = dir.resolve("docs").resolve("mosquitto");
            if (Files.isRegularFile(docs.resolve("mosquitto.conf"))) {
                return docs;
            }
        }
        throw new IllegalStateException("docs/mosquitto not found above " + Path.of("").toAbsolutePath());
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(5, java.util.concurrent.TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }
}
