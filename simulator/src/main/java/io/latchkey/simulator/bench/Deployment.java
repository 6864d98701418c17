package io.latchkey.simulator.bench;

import io.latchkey.simulator.broker.BrokerControl;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.SecureRandom;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.LongSupplier;

/**
 * The whole multi-process system a benchmark (or a test) runs against, started in one place: the store
 * (the backend's files, or Azurite: each tenant's storage account on an Azurite process of its own, as on Azure
 * each account is a scale unit of its own, the platform's account on the first tenant's process), the
 * broker (HiveMQ CE as a process of its own, or Debian's Mosquitto 2 configured by the backend's own
 * {@code broker-export} with a TLS listener for the backend and one for each tenant's devices), N cloud-api
 * replicas as child processes, and, with more than one replica, Debian's HAProxy in front of them (the
 * reference deployment's {@code deploy/haproxy/haproxy.cfg} when there are two, as cloud-api's {@code ReplicaKillIT}
 * uses it, otherwise {@link #haproxyConfig} with the same rules).
 *
 * <p>Replicas share the store and the secret store, so more than one needs {@link Store#AZURITE}: the file
 * store is one process's data directory. A replica can be killed (SIGKILL) and started again; so can the
 * broker ({@link #broker()}).
 */
public final class Deployment implements AutoCloseable {
    /** The broker: {@code hivemq} (HiveMQ CE in a JVM of its own, plain TCP) or {@code mosquitto} (TLS, broker-export). */
    public enum Broker { HIVEMQ, MOSQUITTO }

    /** The store: {@code file} (one replica's data directory) or {@code azurite} (Azure Blob emulator, shared). */
    public enum Store { FILE, AZURITE }

    /**
     * @param cloudApiTarget cloud-api's build output (jar and lib/)
     * @param workDir        everything of this deployment: data, configuration, logs
     * @param tenants        the tenants the benchmark creates (Azurite needs their accounts and Mosquitto their listeners
     *                       before the replicas start)
     * @param storeAccounts  storage accounts from outside the bench by {@code platform} or tenant id, as connection
     *                       strings ({@code --store-accounts}): those tenants' (and the platform's) data is there, and
     *                       no Azurite is started for them
     */
    public record Options(Path cloudApiTarget, Path workDir, int replicas, Broker broker, Store store, List<String> tenants,
                          String heap, List<String> jvmOptions, Duration commandTimeout, Map<String, String> storeAccounts) {
        public Options(Path cloudApiTarget, Path workDir, int replicas, Broker broker, Store store, List<String> tenants,
                       String heap, List<String> jvmOptions, Duration commandTimeout) {
            this(cloudApiTarget, workDir, replicas, broker, store, tenants, heap, jvmOptions, commandTimeout, Map.of());
        }

        public Options {
            jvmOptions = List.copyOf(jvmOptions);
            tenants = List.copyOf(tenants);
            storeAccounts = Map.copyOf(storeAccounts);
            checkStoreAccounts(store, tenants, storeAccounts);
            if (tenants.isEmpty() || new java.util.HashSet<>(tenants).size() != tenants.size()) {
                throw new IllegalArgumentException("the tenants must be one or more distinct ids, got " + tenants);
            }
            if (replicas < 1) {
                throw new IllegalArgumentException("--replicas must be at least 1, got " + replicas);
            }
            if (replicas > 1 && store == Store.FILE) {
                throw new IllegalArgumentException("--replicas " + replicas + " needs a shared store: --store azurite "
                        + "(the file store is one process's data directory)");
            }
        }
    }

    /**
     * Storage accounts from outside ({@code --store-accounts}) are checked before anything starts: only with Azurite,
     * only for the platform and the bench's tenants, each a connection string with a name, a key and an endpoint, and
     * the platform's among them when every tenant's is.
     *
     * @throws IllegalArgumentException saying what is wrong (never repeating a key)
     */
    static void checkStoreAccounts(Store store, List<String> tenants, Map<String, String> storeAccounts) {
        if (!storeAccounts.isEmpty()) {
            if (store != Store.AZURITE) {
                throw new IllegalArgumentException("--store-accounts needs --store azurite (the accounts are Azure "
                        + "Blob storage accounts)");
            }
            for (String name : storeAccounts.keySet()) {
                if (!name.equals(PLATFORM) && !tenants.contains(name)) {
                    throw new IllegalArgumentException("--store-accounts names " + name + ", which is neither "
                            + PLATFORM + " nor one of the bench's tenants " + tenants);
                }
                try {
                    StorageAccount.parse(storeAccounts.get(name));
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("--store-accounts, " + name + ": " + e.getMessage());
                }
            }
            if (!storeAccounts.containsKey(PLATFORM) && storeAccounts.keySet().containsAll(tenants)) {
                throw new IllegalArgumentException("--store-accounts gives every tenant's account but not the "
                        + PLATFORM + "'s: name it too (no Azurite is started to hold it)");
            }
        }
    }

    /** The key of the platform's account in {@link Options#storeAccounts}. */
    public static final String PLATFORM = "platform";
    /** The platform's container (cloud-api's default, {@code latchkey.store.azure.platform.container}). */
    private static final String PLATFORM_CONTAINER = "latchkey-platform";
    private static final Path HAPROXY = Path.of("/usr/sbin/haproxy");
    private static final Path MOSQUITTO = Path.of("/usr/sbin/mosquitto");

    private final Options o;
    private final String adminPassword;
    private final PrintStream out;
    private final List<BackendProcess> replicas = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final List<Integer> replicaPorts = new ArrayList<>();
    private final Map<String, String> sharedProperties = new LinkedHashMap<>();
    /** Each tenant's Azurite process (the first one also holds the platform's account), in the order of the tenants. */
    private final Map<String, AzuriteProcess> azurites = new LinkedHashMap<>();
    /** Each tenant's storage account, on its Azurite process or from outside ({@link Options#storeAccounts}). */
    private final Map<String, StorageAccount> accounts = new LinkedHashMap<>();
    private final Map<String, Integer> tenantPorts = new LinkedHashMap<>();
    private BrokerProcess hivemq;
    private MosquittoProcess mosquitto;
    private ChildProcess haproxy;
    private int lbPort;
    private int platformPort;
    private int plainPort;

    private Deployment(Options o, String adminPassword, PrintStream out) {
        this.o = o;
        this.adminPassword = adminPassword;
        this.out = out;
    }

    /** Starts store, broker, replicas and load balancer, in that order; closes what started if one fails. */
    public static Deployment start(Options o, String adminPassword, PrintStream out) throws IOException {
        Deployment d = new Deployment(o, adminPassword, out);
        try {
            d.startAll();
            return d;
        } catch (IOException | RuntimeException e) {
            d.close();
            throw e;
        }
    }

    private void startAll() throws IOException {
        Files.createDirectories(o.workDir());
        if (o.store() == Store.AZURITE) {
            sharedProperties.put("latchkey.store.type", "azure");
            String outsidePlatform = o.storeAccounts().get(PLATFORM);
            if (outsidePlatform != null) {
                StorageAccount platform = outside(PLATFORM, outsidePlatform, PLATFORM_CONTAINER);
                sharedProperties.put("latchkey.store.azure.platform.connection-string", platform.connectionString());
            }
            for (String tenant : o.tenants()) {
                StorageAccount account;
                String given = o.storeAccounts().get(tenant);
                if (given != null) {
                    account = outside(tenant, given, AzuriteCounter.CONTAINER);
                } else {
                    boolean platform = outsidePlatform == null && azurites.isEmpty();
                    String name = azuriteName(tenant);
                    AzuriteProcess azurite = new AzuriteProcess(o.workDir().resolve(name + ".log"), o.workDir().resolve(name),
                            platform ? List.of(PLATFORM, account(tenant)) : List.of(account(tenant)));
                    azurites.put(tenant, azurite);
                    if (platform) {
                        sharedProperties.put("latchkey.store.azure.platform.connection-string",
                                azurite.account(PLATFORM).connectionString());
                    }
                    account = azurite.account(account(tenant));
                    out.printf("store: Azurite %s on %s (accounts %s, extent GC %s)%n", name, azurite.endpoint(),
                            String.join(", ", azurite.accounts()), azurite.gc());
                }
                accounts.put(tenant, account);
                sharedProperties.put("latchkey.store.azure.tenants." + tenant + ".connection-string",
                        account.connectionString());
                sharedProperties.put("latchkey.store.azure.tenants." + tenant + ".container", AzuriteCounter.CONTAINER);
            }
            sharedProperties.put("latchkey.secrets.type", "store");
            byte[] kek = new byte[32];
            new SecureRandom().nextBytes(kek);
            sharedProperties.put("latchkey.secrets.key-encryption-key", Base64.getEncoder().encodeToString(kek));
        }
        lbPort = freePort();
        for (int i = 0; i < o.replicas(); i++) {
            replicaPorts.add(freePort());
        }
        String backendBrokerUrl;
        if (o.broker() == Broker.MOSQUITTO) {
            if (!Files.isExecutable(MOSQUITTO)) {
                throw new IllegalStateException("--broker mosquitto needs " + MOSQUITTO + " (apt-get install mosquitto)");
            }
            platformPort = freePort();
            for (String tenant : o.tenants()) {
                tenantPorts.put(tenant, freePort());
            }
            plainPort = freePort();
            exportBrokerConfiguration();
            mosquitto = new MosquittoProcess(o.workDir().resolve("mosquitto").resolve("mosquitto.conf"), plainPort,
                    o.workDir().resolve("mosquitto.log"));
            backendBrokerUrl = "ssl://127.0.0.1:" + platformPort;
            for (String tenant : o.tenants()) {
                sharedProperties.put("latchkey.mqtt.device-urls." + tenant, deviceMqttUrl(tenant));
            }
            out.printf("broker: Mosquitto, backend listener %d, devices %s, plain loopback %d (reference pair only)%n",
                    platformPort, tenantPorts, plainPort);
        } else {
            hivemq = new BrokerProcess(freePort(), o.workDir().resolve("broker"), o.workDir().resolve("broker.log"));
            backendBrokerUrl = hivemq.url();
        }
        for (int i = 0; i < o.replicas(); i++) {
            replicas.add(startReplica(i, backendBrokerUrl));
        }
        if (o.replicas() > 1) {
            startHaproxy();
        }
        out.printf("backend: %d replica(s)%s at %s%n", o.replicas(), o.replicas() > 1 ? " behind HAProxy" : "", url());
    }

    private BackendProcess startReplica(int i, String brokerUrl) {
        String name = replicaName(i);
        Map<String, String> props = new LinkedHashMap<>(sharedProperties);
        props.put("latchkey.mqtt.client-id", "latchkey-cloud-" + name);
        if (o.replicas() > 1) {
            props.put("latchkey.public-url", "http://127.0.0.1:" + lbPort);
        }
        out.printf("starting %s on port %d%n", name, replicaPorts.get(i));
        return new BackendProcess(name, o.cloudApiTarget(), replicaPorts.get(i), brokerUrl, dataDir(i), adminPassword,
                o.commandTimeout(), o.heap(), o.jvmOptions(), props, o.workDir().resolve(name + ".log"));
    }

    private static String replicaName(int i) {
        return "replica-" + (char) ('a' + i);
    }

    private Path dataDir(int i) {
        return o.workDir().resolve(o.replicas() == 1 ? "backend-data" : "data-" + replicaName(i));
    }

    /**
     * {@code ./latchkey broker-export} in a JVM of its own, with the replicas' store settings: Mosquitto's
     * listeners, CAs, CRL and ACLs, plus (bench only) a plain loopback listener for the reference client pair.
     */
    private void exportBrokerConfiguration() throws IOException {
        Path dir = o.workDir().resolve("mosquitto");
        // With the file store the (stopped) replica's own data; with Azurite everything shared is there, and the
        // replicas lock their data directories, so the export gets one of its own.
        Path data = o.store() == Store.FILE ? dataDir(0) : o.workDir().resolve("export-data");
        List<String> jvm = new ArrayList<>(List.of("-Xmx256m", "-Dlatchkey.data-dir=" + data));
        sharedProperties.forEach((k, v) -> jvm.add("-D" + k + "=" + v));
        String classpath = BackendProcess.snapshot(o.cloudApiTarget(), o.workDir().resolve("export-cloud-api"));
        List<String> args = new ArrayList<>(List.of("--out", dir.toString(), "--host", "127.0.0.1", "--bind", "127.0.0.1",
                "--platform-port", Integer.toString(platformPort)));
        tenantPorts.forEach((tenant, port) -> args.addAll(List.of("--tenant-port", tenant + "=" + port)));
        // Mosquitto started as root would switch to the mosquitto user, who cannot read these files
        args.addAll(List.of("--user", System.getProperty("user.name")));
        ChildProcess export = ChildProcess.java("broker-export", classpath, jvm, "io.latchkey.cloud.device.BrokerExportMain",
                args,
                Map.of("LATCHKEY_ADMIN_USER", "admin", "LATCHKEY_ADMIN_PASSWORD", adminPassword),
                o.workDir().resolve("broker-export.log"));
        int code = export.await(Duration.ofMinutes(3));
        if (code != 0) {
            throw new IllegalStateException("broker-export failed with " + code + ": "
                    + Files.readString(o.workDir().resolve("broker-export.log")));
        }
        Path conf = dir.resolve("mosquitto.conf");
        Files.writeString(conf, Files.readString(conf)
                + "\n# --- bench only: a plain loopback listener for the reference client pair, no devices use it\n"
                + "listener " + plainPort + " 127.0.0.1\nprotocol mqtt\nallow_anonymous true\n");
    }

    /**
     * Called once the benchmark has created its tenants: Mosquitto learns a tenant's listener only from a new
     * configuration, so broker-export runs again and Mosquitto restarts on it (the backend's session persists).
     * With the file store the replica is stopped meanwhile (the export opens its data directory).
     */
    public void tenantCreated() throws IOException {
        if (mosquitto == null) {
            return;
        }
        out.println("broker-export again with the tenants' device CAs, Mosquitto restarted on it");
        String backendBrokerUrl = "ssl://127.0.0.1:" + platformPort;
        if (o.store() == Store.FILE) {
            replicas.get(0).close();
        }
        exportBrokerConfiguration();
        mosquitto.stop();
        mosquitto.start();
        if (o.store() == Store.FILE) {
            replicas.set(0, startReplica(0, backendBrokerUrl));
        }
    }

    private void startHaproxy() throws IOException {
        if (!Files.isExecutable(HAPROXY)) {
            throw new IllegalStateException("--replicas > 1 needs " + HAPROXY + " (apt-get install haproxy)");
        }
        Path reference = o.cloudApiTarget().toAbsolutePath().getParent().getParent().resolve("deploy").resolve("haproxy");
        Map<String, String> env = new LinkedHashMap<>();
        Path config;
        if (replicas.size() == 2 && Files.isRegularFile(reference.resolve("haproxy.cfg"))) {
            // The reference deployment's file (docs/deploy.md), used as it is, as cloud-api's ReplicaKillIT does.
            config = reference.resolve("haproxy.cfg");
            env.put("LATCHKEY_HAPROXY_DIR", reference.toString());
            env.put("LATCHKEY_LB_BIND", "127.0.0.1:" + lbPort);
            env.put("LATCHKEY_REPLICA_A", "127.0.0.1:" + replicaPorts.get(0));
            env.put("LATCHKEY_REPLICA_B", "127.0.0.1:" + replicaPorts.get(1));
            out.println("load balancer: HAProxy with " + config);
        } else {
            config = o.workDir().resolve("haproxy.cfg");
            List<String> servers = new ArrayList<>();
            for (int i = 0; i < replicas.size(); i++) {
                servers.add(replicaName(i) + " 127.0.0.1:" + replicaPorts.get(i));
            }
            Files.writeString(config, haproxyConfig("127.0.0.1:" + lbPort, servers));
            out.println("load balancer: HAProxy with " + config + " (no deploy/haproxy/haproxy.cfg for " + replicas.size()
                    + " replicas)");
        }
        haproxy = ChildProcess.command("haproxy", List.of(HAPROXY.toString(), "-db", "-f", config.toString()), env,
                o.workDir().resolve("haproxy.log"));
        haproxy.awaitPort(lbPort, Duration.ofSeconds(15));
    }

    /**
     * The load balancer's configuration when the repository has no reference file for this many replicas
     * ({@code deploy/haproxy/haproxy.cfg}, two replicas): the same rules, round robin over the replicas, health checks on {@code /health} every
     * second (down after 3 failures, each allowed 5 s, up after 1), a request a dead replica never answered retried on another
     * unless it could have changed something (only GET and HEAD are retried).
     *
     * @param bind    address:port the load balancer listens on
     * @param servers "name address:port" of each replica
     */
    public static String haproxyConfig(String bind, List<String> servers) {
        List<String> lines = new ArrayList<>(List.of(
                "global", "  log stderr format short local0 warning", "  maxconn 4000",
                "defaults", "  mode http", "  timeout connect 2s", "  timeout client 60s", "  timeout server 60s",
                // a replica starved of CPU by a shared machine answers /health late, not never
                "  timeout check 5s",
                "  retries 2", "  option redispatch", "  option httpchk GET /health", "  option http-keep-alive",
                "  retry-on conn-failure empty-response response-timeout",
                "frontend latchkey", "  bind " + bind, "  default_backend replicas",
                "backend replicas", "  balance roundrobin", "  http-request disable-l7-retry unless METH_GET || METH_HEAD"));
        for (String server : servers) {
            lines.add("  server " + server + " check inter 1s fall 3 rise 1");
        }
        lines.add("");
        return String.join("\n", lines);
    }

    /** The backend's HTTP address: the load balancer, or the one replica. */
    public String url() {
        return o.replicas() > 1 ? "http://127.0.0.1:" + lbPort : replicas.get(0).url();
    }

    /** A plain MQTT URL on the same broker for the reference client pair (no device identity). */
    public String referenceBrokerUrl() {
        return mosquitto != null ? "tcp://127.0.0.1:" + plainPort : hivemq.url();
    }

    /** Where a tenant's devices connect when it is not the discovery document's URL: Mosquitto's TLS listener of the tenant. */
    public String deviceMqttUrl(String tenant) {
        return mosquitto != null ? "ssl://127.0.0.1:" + tenantPorts.get(tenant) : null;
    }

    /** The tenants of this deployment, in order. */
    public List<String> tenants() {
        return o.tenants();
    }

    /**
     * A storage account from outside the bench ({@link Options#storeAccounts}), checked before anything is written to
     * it: reachable with its key, and {@code container} empty (an earlier run's data would be counted by the audit, and
     * its tenants would collide with the bench's). Not sampled: its processes are not this machine's.
     */
    private StorageAccount outside(String owner, String connectionString, String container) throws IOException {
        StorageAccount account = StorageAccount.parse(connectionString);
        boolean empty;
        try {
            empty = new AzuriteCounter(account).isEmpty(container);
        } catch (IOException e) {
            throw new IOException("--store-accounts, " + owner + ": cannot list container " + container + " of "
                    + account + ": " + e.getMessage(), e);
        }
        if (!empty) {
            throw new IllegalStateException("--store-accounts, " + owner + ": container " + container + " of " + account
                    + " holds blobs (an earlier run's?): give an account whose container is empty or absent");
        }
        out.printf("store: %s's account %s, from outside the bench (not sampled)%n", owner, account);
        return account;
    }

    /**
     * A tenant's storage account name on Azurite: its id without hyphens (an Azure account name is 3 to 24 lowercase
     * letters and digits), distinct for distinct bench tenants ({@code bench}, {@code bench-2}, ...).
     */
    static String account(String tenant) {
        return tenant.toLowerCase(java.util.Locale.ROOT).replaceAll("[^a-z0-9]", "");
    }

    /** The sampler's and the log's name of a tenant's Azurite process: {@code azurite} with one tenant. */
    private String azuriteName(String tenant) {
        return o.tenants().size() == 1 ? "azurite" : "azurite-" + tenant;
    }

    /** The CA devices verify the broker with (Mosquitto's certificate comes from the platform CA); empty for HiveMQ. */
    public List<X509Certificate> brokerCas() {
        if (mosquitto == null) {
            return List.of();
        }
        try (InputStream in = Files.newInputStream(o.workDir().resolve("mosquitto").resolve("platform-ca.pem"))) {
            List<X509Certificate> cas = new ArrayList<>();
            CertificateFactory.getInstance("X.509").generateCertificates(in).forEach(c -> cas.add((X509Certificate) c));
            return cas;
        } catch (IOException | java.security.cert.CertificateException e) {
            throw new IllegalStateException("cannot read Mosquitto's platform-ca.pem", e);
        }
    }

    public BrokerControl broker() {
        return mosquitto != null ? mosquitto : hivemq;
    }

    public Broker brokerKind() {
        return o.broker();
    }

    public Store storeKind() {
        return o.store();
    }

    public int replicaCount() {
        return replicas.size();
    }

    /** SIGKILL of replica {@code i}: a crash. */
    public void killReplica(int i) {
        replicas.get(i).kill();
    }

    /** Starts replica {@code i} again (on the same port and data) and waits until it is healthy. */
    public void restartReplica(int i) {
        replicas.get(i).start();
    }

    /** Counts telemetry records of the tenant in the store (files, or blobs in the tenant's own account and Azurite). */
    public RecordCounter counter(String tenant) {
        if (!o.tenants().contains(tenant)) {
            throw new IllegalArgumentException("not a tenant of this deployment: " + tenant);
        }
        return o.store() == Store.AZURITE ? new AzuriteCounter(accounts.get(tenant))
                : new StoreCounter(dataDir(0), tenant);
    }

    /** The file store's data directory (for the unlock breakdown's command records); null with Azurite. */
    public Path fileStoreDir() {
        return o.store() == Store.FILE ? dataDir(0) : null;
    }

    /** Every process of the deployment by name, for {@link ProcessSampler}. */
    public Map<String, LongSupplier> processes() {
        Map<String, LongSupplier> pids = new LinkedHashMap<>();
        for (int i = 0; i < replicas.size(); i++) {
            int index = i;
            // by index: tenantCreated() replaces the file store's replica with a new process object
            pids.put(o.replicas() == 1 ? "backend" : replicaName(i), () -> replicas.get(index).pid());
        }
        if (hivemq != null) {
            pids.put("broker", hivemq::pid);
        }
        if (mosquitto != null) {
            pids.put("mosquitto", mosquitto::pid);
        }
        if (haproxy != null) {
            ChildProcess h = haproxy;
            pids.put("haproxy", h::pid);
        }
        azurites.forEach((tenant, azurite) -> pids.put(azuriteName(tenant), azurite::pid));
        return pids;
    }

    @Override
    public void close() {
        List<AutoCloseable> all = new ArrayList<>();
        if (haproxy != null) {
            all.add(haproxy);
        }
        all.addAll(replicas);
        if (mosquitto != null) {
            all.add(mosquitto);
        }
        if (hivemq != null) {
            all.add(hivemq);
        }
        all.addAll(azurites.values());
        for (AutoCloseable c : all) {
            try {
                c.close();
            } catch (Exception e) {
                // closing the others matters more
            }
        }
    }

    static int freePort() throws IOException {
        return io.latchkey.protocol.net.FreePorts.pick();
    }

    /** Debian's Mosquitto 2 on a broker-export configuration; {@link #stop} is a SIGKILL. */
    static final class MosquittoProcess implements BrokerControl, AutoCloseable {
        private final Path conf;
        private final int port;
        private final Path log;
        private ChildProcess process;

        MosquittoProcess(Path conf, int port, Path log) {
            this.conf = conf;
            this.port = port;
            this.log = log;
            start();
        }

        @Override
        public synchronized void start() {
            if (process != null && process.isAlive()) {
                return;
            }
            // Raise the soft open-file limit to the hard one: one descriptor per connected car.
            process = ChildProcess.command("mosquitto", List.of("bash", "-c", "ulimit -n $(ulimit -Hn); exec "
                    + MOSQUITTO + " -c " + conf), Map.of(), log);
            process.awaitPort(port, Duration.ofSeconds(30));
        }

        @Override
        public synchronized void stop() {
            if (process != null) {
                process.kill();
            }
        }

        synchronized long pid() {
            return process == null || !process.isAlive() ? -1 : process.pid();
        }

        @Override
        public synchronized void close() {
            if (process != null) {
                process.close();
            }
        }
    }

    /**
     * Azurite's blob service (npm, installed under ~/.cache/latchkey by cloud-api's AzuriteServer), in memory, on a
     * port and working directory of its own: one Node.js process (one thread) per instance.
     */
    static final class AzuriteProcess implements AutoCloseable {
        private final ChildProcess process;
        private final int port;
        private final Map<String, String> keys = new LinkedHashMap<>();

        AzuriteProcess(Path log, Path workDir, List<String> accounts) throws IOException {
            Path bin = binary();
            SecureRandom random = new SecureRandom();
            for (String account : accounts) {
                byte[] key = new byte[64];
                random.nextBytes(key);
                keys.put(account, Base64.getEncoder().encodeToString(key));
            }
            port = freePort();
            Path dir = Files.createDirectories(workDir);
            Path launcher = dir.resolve("azurite-launcher.js");
            try (InputStream in = AzuriteProcess.class.getResourceAsStream("azurite-launcher.js")) {
                Files.copy(in, launcher, StandardCopyOption.REPLACE_EXISTING);
            }
            // node_modules/.bin/azurite-blob -> azurite/dist/src/blob/main.js: the package is four levels up.
            Path azurite = bin.toRealPath().getParent().getParent().getParent().getParent();
            process = ChildProcess.command("azurite", List.of("bash", "-c", "cd '" + dir + "' && exec node '" + launcher
                            + "' --inMemoryPersistence --extentMemoryLimit 4096 --skipApiVersionCheck --disableTelemetry"
                            + (System.getenv("LATCHKEY_AZURITE_DEBUG") != null
                                    ? " --debug '" + System.getenv("LATCHKEY_AZURITE_DEBUG") + "'" : " --silent")
                            + " --blobHost 127.0.0.1 --blobPort " + port),
                    Map.of("AZURITE_ACCOUNTS", String.join(";", keys.entrySet().stream()
                                    .map(e -> e.getKey() + ":" + e.getValue()).toList()),
                            "NODE_OPTIONS", "--max-old-space-size=6144",
                            "LATCHKEY_AZURITE_PACKAGE", azurite.toString(),
                            // The emulator's extent GC stops it for minutes once a fleet has overwritten documents
                            // (azurite-launcher.js says why); off unless LATCHKEY_AZURITE_GC says otherwise.
                            "LATCHKEY_AZURITE_GC", gc()),
                    log);
            process.awaitPort(port, Duration.ofSeconds(60));
        }

        private static Path binary() throws IOException {
            String configured = System.getenv("LATCHKEY_AZURITE_DIR");
            List<Path> candidates = new ArrayList<>();
            if (configured != null && !configured.isBlank()) {
                candidates.add(Path.of(configured));
            }
            Path cache = Path.of(System.getProperty("user.home"), ".cache", "latchkey");
            if (Files.isDirectory(cache)) {
                try (var dirs = Files.list(cache)) {
                    dirs.filter(p -> p.getFileName().toString().startsWith("azurite-")).sorted().forEach(candidates::add);
                }
            }
            for (Path dir : candidates) {
                Path bin = dir.resolve("node_modules").resolve(".bin").resolve("azurite-blob");
                if (Files.isExecutable(bin)) {
                    return bin;
                }
            }
            throw new IllegalStateException("--store azurite needs Azurite: run one of cloud-api's Azurite ITs once "
                    + "(it installs it under ~/.cache/latchkey/azurite-*) or set LATCHKEY_AZURITE_DIR");
        }

        String endpoint() {
            return "http://127.0.0.1:" + port;
        }

        /** The emulator's extent GC: "off", or its interval in milliseconds (azurite-launcher.js). */
        String gc() {
            return Objects.requireNonNullElse(System.getenv("LATCHKEY_AZURITE_GC"), "off");
        }

        List<String> accounts() {
            return List.copyOf(keys.keySet());
        }

        /** One of this process's accounts (path-style: {@code http://127.0.0.1:port/account}). */
        StorageAccount account(String account) {
            return StorageAccount.parse("DefaultEndpointsProtocol=http;AccountName=" + account + ";AccountKey="
                    + keys.get(account) + ";BlobEndpoint=" + endpoint() + "/" + account + ";");
        }

        long pid() {
            return process.isAlive() ? process.pid() : -1;
        }

        @Override
        public void close() {
            process.close();
        }
    }

    static UncheckedIOException unchecked(IOException e) {
        return new UncheckedIOException(e);
    }
}
