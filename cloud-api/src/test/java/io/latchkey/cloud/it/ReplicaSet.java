package io.latchkey.cloud.it;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.latchkey.cloud.store.azure.AzuriteServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The reference deployment of docs/deploy.md on one machine, every part its own process: Azurite (the shared store
 * and, with {@code latchkey.secrets.type=store}, the shared secret store), Debian's Mosquitto configured by
 * {@code broker-export} (mutual TLS for the backend and per tenant, shared subscriptions), cloud-api replicas started
 * as {@code java io.latchkey.cloud.Application} from this JVM's class path, and Debian's HAProxy with
 * {@code deploy/haproxy/haproxy.cfg} from the repository (the file the documentation shows). Replicas can be
 * SIGKILLed ({@link Replica#kill}) and started again on their data directory ({@link Replica#start}).
 *
 * <p>Tenants are fixed at construction (each has its own Azurite account and Mosquitto listener); after they are
 * created through the API, {@link #exportBroker} again and {@link #restartBroker} to open their listeners.
 */
public final class ReplicaSet implements AutoCloseable {
    public static final Path MOSQUITTO = Path.of("/usr/sbin/mosquitto");
    public static final Path HAPROXY = Path.of("/usr/sbin/haproxy");
    public static final Path DEPLOY = Path.of(System.getProperty("basedir", "."), "..", "deploy").normalize();

    private final Path dir;
    private final AzuriteServer azurite;
    private final Map<String, String> shared = new LinkedHashMap<>();
    private final int platformPort;
    private final Map<String, Integer> tenantPorts = new LinkedHashMap<>();
    private final List<Replica> replicas = new ArrayList<>();
    private final int lbPort;
    private Process broker;
    private Process haproxy;

    /** Skips the test unless Mosquitto and HAProxy are installed (Azurite skips it without Node.js). */
    public static void assumeInstalled() {
        assumeTrue(Files.isExecutable(MOSQUITTO), "mosquitto is not installed (apt-get install mosquitto; .ci/run does)");
        assumeTrue(Files.isExecutable(HAPROXY), "haproxy is not installed (apt-get install haproxy; .ci/run does)");
    }

    public ReplicaSet(Path dir, List<String> tenants, int replicaCount, Map<String, String> extra) throws Exception {
        assumeInstalled();
        this.dir = dir;
        List<String> accounts = new ArrayList<>(List.of("platform"));
        accounts.addAll(tenants);
        this.azurite = AzuriteServer.start(accounts.toArray(String[]::new));
        this.platformPort = freePort();
        this.lbPort = freePort();
        byte[] kek = new byte[32];
        new SecureRandom().nextBytes(kek);
        shared.put("latchkey.store.type", "azure");
        shared.put("latchkey.store.azure.platform.connection-string", azurite.connectionString("platform"));
        shared.put("latchkey.secrets.type", "store");
        shared.put("latchkey.secrets.key-encryption-key", Base64.getEncoder().encodeToString(kek));
        shared.put("latchkey.public-url", lbUrl());
        shared.put("latchkey.mqtt.embedded", "false");
        shared.put("latchkey.mqtt.url", "ssl://127.0.0.1:" + platformPort);
        shared.put("latchkey.admin.user", "admin");
        shared.put("latchkey.admin.password", CloudApp.ADMIN_PASSWORD);
        for (String tenant : tenants) {
            int port = freePort();
            tenantPorts.put(tenant, port);
            shared.put("latchkey.store.azure.tenants." + tenant + ".connection-string", azurite.connectionString(tenant));
            shared.put("latchkey.mqtt.device-urls." + tenant, "ssl://127.0.0.1:" + port);
        }
        shared.putAll(extra);
        exportBroker();
        startBroker();
        for (int i = 0; i < replicaCount; i++) {
            replicas.add(new Replica(Character.toString('a' + i), freePort()));
        }
        replicas.parallelStream().forEach(Replica::start);
        startHaproxy();
    }

    public String lbUrl() {
        return "http://127.0.0.1:" + lbPort;
    }

    public Replica replica(int i) {
        return replicas.get(i);
    }

    public List<Replica> replicas() {
        return List.copyOf(replicas);
    }

    /** The tenant's Mosquitto listener (mutual TLS with its device CA). */
    public int tenantPort(String tenant) {
        return tenantPorts.get(tenant);
    }

    /** The tenant's store as the replicas share it (its Azurite account), to check from the test what a run left. */
    public io.latchkey.cloud.store.TenantStore tenantStore(String tenant) {
        return new io.latchkey.cloud.store.azure.AzureBlobTenantStore(new io.latchkey.cloud.store.azure.AzureBlobClients()
                .container(azurite.connectionString(tenant), "latchkey"),
                io.latchkey.cloud.store.azure.AzureBlobTenantStore.DEFAULT_SEGMENT_BYTES, Duration.ofSeconds(30));
    }

    public Path brokerDir() {
        return dir.resolve("mosquitto");
    }

    /** {@code ./latchkey broker-export} as its own process, with the replicas' settings (the stores they share). */
    public void exportBroker() throws Exception {
        List<String> args = new ArrayList<>(List.of("--out", brokerDir().toString(), "--host", "127.0.0.1", "--host", "localhost",
                "--bind", "127.0.0.1", "--platform-port", Integer.toString(platformPort), "--user", System.getProperty("user.name")));
        tenantPorts.forEach((t, p) -> args.addAll(List.of("--tenant-port", t + "=" + p)));
        Path data = Files.createDirectories(dir.resolve("export-data"));
        // the export starts the backend's components with a private embedded broker: not the replicas' broker settings
        Map<String, String> own = new LinkedHashMap<>();
        own.put("latchkey.mqtt.embedded", "true");
        Process export = java("io.latchkey.cloud.device.BrokerExportMain", data, own, args, dir.resolve("export.log"));
        if (!export.waitFor(120, TimeUnit.SECONDS) || export.exitValue() != 0) {
            export.destroyForcibly();
            throw new IllegalStateException("broker-export failed: " + Files.readString(dir.resolve("export.log")));
        }
    }

    public void restartBroker() throws Exception {
        broker.destroy();
        broker.waitFor(10, TimeUnit.SECONDS);
        startBroker();
    }

    private void startBroker() throws Exception {
        Path log = dir.resolve("mosquitto.log");
        broker = new ProcessBuilder(MOSQUITTO.toString(), "-c", brokerDir().resolve("mosquitto.conf").toString())
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        List<Integer> ports = new ArrayList<>(List.of(platformPort));
        ports.addAll(tenantPorts.values());
        for (int port : ports) {
            awaitListening(broker, port, log, Duration.ofSeconds(20));
        }
    }

    private void startHaproxy() throws Exception {
        Path log = dir.resolve("haproxy.log");
        ProcessBuilder pb = new ProcessBuilder(HAPROXY.toString(), "-db", "-f", DEPLOY.resolve("haproxy/haproxy.cfg").toString())
                .redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().put("LATCHKEY_HAPROXY_DIR", DEPLOY.resolve("haproxy").toString());
        pb.environment().put("LATCHKEY_LB_BIND", "127.0.0.1:" + lbPort);
        pb.environment().put("LATCHKEY_REPLICA_TLS", "");
        for (Replica r : replicas) {
            pb.environment().put("LATCHKEY_REPLICA_" + r.name.toUpperCase(java.util.Locale.ROOT), "127.0.0.1:" + r.port);
        }
        haproxy = pb.start();
        awaitListening(haproxy, lbPort, log, Duration.ofSeconds(15));
        awaitHealthy(lbUrl(), Duration.ofSeconds(20), haproxy, log);
    }

    /** A cloud-api process. */
    public final class Replica {
        private final String name;
        private final int port;
        private final Path data;
        private Process process;
        private int starts;

        Replica(String name, int port) {
            this.name = name;
            this.port = port;
            this.data = dir.resolve("replica-" + name);
        }

        public String url() {
            return "http://127.0.0.1:" + port;
        }

        public String name() {
            return name;
        }

        /** Starts the process (again, on the same data directory and MQTT client id) and waits for /health. */
        public synchronized void start() {
            try {
                Files.createDirectories(data);
                Path log = dir.resolve("replica-" + name + "-" + (++starts) + ".log");
                process = java("io.latchkey.cloud.Application", data, Map.of("micronaut.server.port", Integer.toString(port),
                        "latchkey.mqtt.client-id", "latchkey-cloud-" + name), List.of(), log);
                awaitHealthy(url(), Duration.ofSeconds(120), process, log);
            } catch (Exception e) {
                throw new IllegalStateException("replica " + name + " did not start: " + e.getMessage(), e);
            }
        }

        /** SIGKILL: no shutdown hook, nothing flushed. */
        public synchronized void kill() throws InterruptedException {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }

        public boolean isAlive() {
            return process != null && process.isAlive();
        }

        public long pid() {
            return process.pid();
        }
    }

    /** Copies every process's log to {@code target/replica-set-logs/} (the temporary directory goes with the test). */
    private void keepLogs() {
        try (var files = Files.list(dir)) {
            Path target = Files.createDirectories(Path.of(System.getProperty("basedir", "."), "target", "replica-set-logs"));
            for (Path f : (Iterable<Path>) files::iterator) {
                if (f.getFileName().toString().endsWith(".log")) {
                    Files.copy(f, target.resolve(f.getFileName()), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                }
            }
        } catch (IOException e) {
            // the logs are a help, not the test
        }
    }

    private Process java(String main, Path data, Map<String, String> props, List<String> args, Path log) throws IOException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx320m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Xss512k",
                "-cp", System.getProperty("java.class.path")));
        Map<String, String> all = new LinkedHashMap<>(shared);
        all.put("latchkey.data-dir", data.toString());
        all.putAll(props);
        all.forEach((k, v) -> command.add("-D" + k + "=" + v));
        command.add(main);
        command.addAll(args);
        return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }

    private static void awaitHealthy(String url, Duration timeout, Process process, Path log) throws Exception {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        Instant deadline = Instant.now().plus(timeout);
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new IllegalStateException(url + " exited: " + tail(log));
            }
            try {
                if (http.send(HttpRequest.newBuilder(URI.create(url + "/health")).timeout(Duration.ofSeconds(2)).build(),
                        HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not up yet
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException(url + " not healthy within " + timeout + ": " + tail(log));
    }

    private static void awaitListening(Process process, int port, Path log, Duration timeout) throws Exception {
        Instant deadline = Instant.now().plus(timeout);
        while (true) {
            if (!process.isAlive()) {
                throw new IllegalStateException("exited: " + tail(log));
            }
            try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
                return;
            } catch (IOException e) {
                if (Instant.now().isAfter(deadline)) {
                    throw new IllegalStateException("nothing listens on " + port + ": " + tail(log));
                }
                Thread.sleep(50);
            }
        }
    }

    private static String tail(Path log) throws IOException {
        String text = Files.exists(log) ? Files.readString(log) : "";
        return text.length() > 4000 ? text.substring(text.length() - 4000) : text;
    }

    /**
     * Registers {@code car} with {@code device} in {@code tenant} through the balancer ({@code lb}), enrols the device's
     * own key (a CSR, the certificate from the tenant's CA) and connects it over mutual TLS to the tenant's listener.
     */
    public TestDevice enrolCar(Http lb, String tenant, String operator, String tenantAdmin, String car, String device,
                               Map<String, java.security.PublicKey> keys) throws Exception {
        java.security.cert.X509Certificate brokerCa = io.latchkey.cloud.pki.Pem.certificates(
                Files.readString(brokerDir().resolve("platform-ca.pem"))).get(0);
        CloudApp.expect(201, lb.postJson("/t/" + tenant + "/cars", operator,
                Map.of("id", car, "name", car, "plate", "B-" + car, "deviceId", device)));
        java.security.KeyPair key = DeviceCredentials.newKey();
        String certificate = CloudApp.expect(201, lb.postJson("/t/" + tenant + "/devices/" + device + "/certificate", tenantAdmin,
                Map.of("carId", car, "csr", DeviceCredentials.csr(tenant, device, key)))).text("certificate");
        return TestDevice.overMutualTls("127.0.0.1", tenantPort(tenant), brokerCa,
                new DeviceCredentials(tenant, device, key, certificate), keys, java.time.Clock.systemUTC());
    }

    /** Closes every car (one that fails to close does not keep the others open), then the balancer's client. */
    public static void closeAll(List<TestDevice> cars, AutoCloseable lbClient) throws Exception {
        for (TestDevice car : cars) {
            try {
                car.close();
            } catch (Exception ignored) {
                // the others matter more
            }
        }
        if (lbClient != null) {
            lbClient.close();
        }
    }

    public static int freePort() throws IOException {
        return io.latchkey.protocol.net.FreePorts.pick();
    }

    @Override
    public void close() {
        keepLogs();
        for (Process p : new Process[] {haproxy, broker}) {
            if (p != null) {
                p.destroy();
            }
        }
        for (Replica r : replicas) {
            if (r.process != null) {
                r.process.destroy();
            }
        }
        for (Replica r : replicas) {
            try {
                if (r.process != null && !r.process.waitFor(15, TimeUnit.SECONDS)) {
                    r.process.destroyForcibly();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        azurite.close();
    }
}
