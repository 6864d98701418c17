package io.latchkey.cloud.it;

import static io.latchkey.cloud.it.CloudApp.PASSWORD;
import static io.latchkey.cloud.it.CloudApp.expect;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.latchkey.cloud.store.azure.AzuriteServer;
import io.micronaut.http.client.HttpClient;
import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two backends behind Debian's HAProxy (round robin, health checks on {@code /health}), sharing Azurite and the
 * stored secret store: every request below goes through the load balancer, so consecutive ones land on either
 * replica. In one JVM, a replica stopped in-process; the same with processes, the external broker, cars and a
 * SIGKILLed replica is {@link ReplicaKillIT}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LoadBalancedReplicasIT {
    private static final Path HAPROXY = Path.of("/usr/sbin/haproxy");
    @TempDir
    static Path dirA;
    @TempDir
    static Path dirB;
    @TempDir
    static Path lbDir;
    AzuriteServer azurite;
    CloudApp a;
    CloudApp b;
    Process haproxy;
    HttpClient lbClient;
    Http lb;
    String operator;

    @BeforeAll
    void start() throws Exception {
        assumeTrue(Files.isExecutable(HAPROXY), "haproxy is not installed (apt-get install haproxy; .ci/run does)");
        int lbPort = freePort();
        azurite = AzuriteServer.start("platform", "acme");
        Map<String, Object> props = new HashMap<>();
        props.put("latchkey.store.type", "azure");
        props.put("latchkey.store.azure.platform.connection-string", azurite.connectionString("platform"));
        props.put("latchkey.store.azure.tenants.acme.connection-string", azurite.connectionString("acme"));
        props.put("latchkey.public-url", "http://127.0.0.1:" + lbPort);
        props.put("latchkey.secrets.type", "store");
        byte[] kek = new byte[32];
        new java.security.SecureRandom().nextBytes(kek);
        props.put("latchkey.secrets.key-encryption-key", Base64.getEncoder().encodeToString(kek));
        a = CloudApp.start(dirA, props);
        b = CloudApp.start(dirB, props);
        Path config = lbDir.resolve("haproxy.cfg");
        Files.writeString(config, String.join("\n",
                "global", "  log stderr format short local0 warning",
                "defaults", "  mode http", "  timeout connect 2s", "  timeout client 30s", "  timeout server 30s",
                "  retries 2", "  option redispatch", "  option httpchk GET /health",
                // a request the dead replica never answered is tried on the other, unless it could have changed something
                "  retry-on conn-failure empty-response response-timeout",
                "frontend latchkey", "  bind 127.0.0.1:" + lbPort, "  default_backend replicas",
                "backend replicas", "  balance roundrobin", "  http-request disable-l7-retry unless METH_GET || METH_HEAD",
                "  server a 127.0.0.1:" + a.baseUri().getPort() + " check inter 200ms fall 2 rise 1",
                "  server b 127.0.0.1:" + b.baseUri().getPort() + " check inter 200ms fall 2 rise 1", ""));
        haproxy = new ProcessBuilder(HAPROXY.toString(), "-db", "-f", config.toString())
                .redirectErrorStream(true).redirectOutput(lbDir.resolve("haproxy.log").toFile()).start();
        awaitListening(lbPort);
        lbClient = a.context().createBean(HttpClient.class, new URL("http://127.0.0.1:" + lbPort));
        lb = new Http(lbClient);
        Instant up = Instant.now().plusSeconds(20);
        while (lb.get("/health", null).status() != 200) {
            if (Instant.now().isAfter(up)) {
                throw new IllegalStateException("no replica is up behind haproxy: replica a says " + a.http.get("/health", null)
                        + "; haproxy: " + Files.readString(lbDir.resolve("haproxy.log")));
            }
            Thread.sleep(100);
        }
        String admin = lb.postForm("/platform/oauth/token",
                Map.of("grant_type", "password", "username", "admin", "password", CloudApp.ADMIN_PASSWORD)).text("access_token");
        expect(201, lb.postJson("/platform/tenants", admin, Map.of("id", "acme", "name", "acme cars")));
        expect(201, lb.postJson("/platform/tenants/acme/admins", admin,
                Map.of("email", "admin@acme.test", "name", "Admin", "password", PASSWORD)));
        String tenantAdmin = token("admin@acme.test");
        expect(201, lb.postJson("/t/acme/users", tenantAdmin,
                Map.of("email", "olga@acme.test", "name", "Olga", "password", PASSWORD, "roles", List.of("operator"))));
        operator = token("olga@acme.test");
        expect(201, lb.postJson("/t/acme/cars", operator,
                Map.of("id", "car-1", "name", "Car 1", "plate", "B-LK 1", "deviceId", "dev-001")));
    }

    @AfterAll
    void stop() throws Exception {
        if (lbClient != null) {
            lbClient.close();
        }
        if (haproxy != null) {
            haproxy.destroy();
            haproxy.waitFor(5, TimeUnit.SECONDS);
        }
        for (AutoCloseable c : new AutoCloseable[] {a, b, azurite}) {
            if (c != null) {
                try {
                    c.close();
                } catch (Exception ignored) {
                    // closing the others matters more
                }
            }
        }
    }

    @Test
    @Order(1)
    void concurrentBookingsOfOneSlot_onBothReplicas_giveExactlyOne201() throws Exception {
        List<String> borrowers = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            String email = "bo" + i + "@acme.test";
            expect(201, lb.postJson("/t/acme/users", null, Map.of("email", email, "name", "Bo " + i, "password", PASSWORD)));
            borrowers.add(token(email));
        }
        Instant start = Instant.now().plus(1, ChronoUnit.DAYS).truncatedTo(ChronoUnit.HOURS);
        ExecutorService pool = Executors.newFixedThreadPool(borrowers.size());
        try {
            List<Future<Integer>> replies = new ArrayList<>();
            for (String borrower : borrowers) {
                replies.add(pool.submit(() -> lb.postJson("/t/acme/bookings", borrower, Map.of("carId", "car-1",
                        "start", start.toString(), "end", start.plus(2, ChronoUnit.HOURS).toString())).status()));
            }
            List<Integer> statuses = new ArrayList<>();
            for (Future<Integer> r : replies) {
                statuses.add(r.get(60, TimeUnit.SECONDS));
            }
            assertThat(statuses).containsOnly(201, 409).filteredOn(s -> s == 201).hasSize(1);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    @Order(2)
    void theLockout_stopsAtSixChecks_throughTheLoadBalancer() {
        expect(201, lb.postJson("/t/acme/users", null, Map.of("email", "lena@acme.test", "name", "Lena", "password", PASSWORD)));
        for (int i = 0; i < 6; i++) {
            assertThat(signIn("lena@acme.test", "wrong " + i).status()).isEqualTo(400);
        }
        for (int i = 0; i < 4; i++) {
            assertThat(signIn("lena@acme.test", PASSWORD).status()).as("locked on every replica").isEqualTo(400);
        }
    }

    @Test
    @Order(3)
    void aReplicaGoingAway_midRun_costsNoRequest() throws Exception {
        for (int i = 0; i < 4; i++) {
            expect(200, lb.get("/t/acme/cars/car-1", operator));
        }
        b.close();
        b = null;
        for (int i = 0; i < 20; i++) {
            expect(200, lb.get("/t/acme/cars/car-1", operator));
        }
        assertThat(expect(200, lb.get("/t/acme/audit/verify", token("admin@acme.test"))).text("status")).isEqualTo("OK");
    }

    private String token(String email) {
        return expect(200, signIn(email, PASSWORD)).text("access_token");
    }

    private Http.Reply signIn(String email, String password) {
        return lb.postForm("/t/acme/oauth/token", Map.of("grant_type", "password", "username", email, "password", password));
    }

    private void awaitListening(int port) throws Exception {
        Instant deadline = Instant.now().plusSeconds(15);
        while (true) {
            if (!haproxy.isAlive()) {
                throw new IllegalStateException("haproxy exited: " + Files.readString(lbDir.resolve("haproxy.log")));
            }
            try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
                return;
            } catch (IOException e) {
                if (Instant.now().isAfter(deadline)) {
                    throw new IllegalStateException("haproxy does not listen: " + Files.readString(lbDir.resolve("haproxy.log")));
                }
                Thread.sleep(50);
            }
        }
    }

    private static int freePort() throws IOException {
        return io.latchkey.protocol.net.FreePorts.pick();
    }
}
