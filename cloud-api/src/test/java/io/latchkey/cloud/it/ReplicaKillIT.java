package io.latchkey.cloud.it;

import static io.latchkey.cloud.it.CloudApp.PASSWORD;
import static io.latchkey.cloud.it.CloudApp.expect;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jwt.SignedJWT;
import io.latchkey.protocol.telemetry.TelemetryRecord;
import io.micronaut.http.client.HttpClient;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 16's multi-replica test, every part its own process ({@link ReplicaSet}: Azurite, Mosquitto configured by
 * {@code broker-export}, two cloud-api replicas, HAProxy with {@code deploy/haproxy/haproxy.cfg}); cars ({@link TestDevice},
 * mutual TLS on the tenant's Mosquitto listener, {@code -Dlatchkey.it.cars}, default 200), operators and borrowers
 * through the load balancer. Mid-run one replica is SIGKILLed and started again. Afterwards: every telemetry record
 * the broker accepted is stored exactly once; every command's caller got the outcome or an honest 503/504 and the
 * car acted at most once; one 201 for concurrent bookings of a slot; the lockout; a key rotation on one replica
 * honoured by the other at once; the audit chain verifies.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ReplicaKillIT {
    /** Issue 16's figure (docs/deploy.md has the runs and their times). */
    private static final int CARS = Integer.getInteger("latchkey.it.cars", 200);
    private static final int ROUNDS = Integer.getInteger("latchkey.it.rounds", 12);
    private static final int RECORDS_PER_ROUND = 2;
    /** Cars created, enrolled and connected at once during the setup. */
    private static final int SETUP_THREADS = Integer.getInteger("latchkey.it.setup-threads", 8);
    @TempDir
    static Path dir;
    ReplicaSet set;
    HttpClient lbClient;
    Http lb;
    String tenantAdmin;
    String operator;
    final List<TestDevice> cars = new ArrayList<>();
    final Map<String, Long> published = new ConcurrentHashMap<>();

    @BeforeAll
    void start() throws Exception {
        long t0 = System.nanoTime();
        // a command left PENDING by the killed replica is concluded by a sweep soon after its lifetime (OrphanedCommands)
        set = new ReplicaSet(dir, List.of("acme"), 2, Map.of("latchkey.commands.orphan-after", "2s",
                "latchkey.commands.sweep-interval", "1s"));
        lbClient = client(set.lbUrl());
        lb = new Http(lbClient);
        String admin = expect(200, lb.postForm("/platform/oauth/token",
                Map.of("grant_type", "password", "username", "admin", "password", CloudApp.ADMIN_PASSWORD))).text("access_token");
        expect(201, lb.postJson("/platform/tenants", admin, Map.of("id", "acme", "name", "acme cars")));
        expect(201, lb.postJson("/platform/tenants/acme/admins", admin,
                Map.of("email", "admin@acme.test", "name", "Admin", "password", PASSWORD)));
        tenantAdmin = token("admin@acme.test");
        expect(201, lb.postJson("/t/acme/users", tenantAdmin,
                Map.of("email", "olga@acme.test", "name", "Olga", "password", PASSWORD, "roles", List.of("operator"))));
        operator = token("olga@acme.test");
        Map<String, PublicKey> keys = TestDevice.keys(expect(200, lb.get("/t/acme/.well-known/latchkey-device", null)).json());
        ExecutorService pool = Executors.newFixedThreadPool(SETUP_THREADS);
        try {
            List<Future<TestDevice>> connecting = new ArrayList<>();
            for (int i = 0; i < CARS; i++) {
                String car = String.format("car-%03d", i);
                String device = String.format("dev-%03d", i);
                connecting.add(pool.submit(() -> set.enrolCar(lb, "acme", operator, tenantAdmin, car, device, keys)));
            }
            for (Future<TestDevice> f : connecting) {
                cars.add(f.get(120, TimeUnit.SECONDS));
            }
        } finally {
            pool.shutdownNow();
        }
        System.out.printf("replica-kill: 2 replicas, broker, store and balancer up and %d cars connected in %d s%n", CARS,
                (System.nanoTime() - t0) / 1_000_000_000);
    }

    @AfterAll
    void stop() throws Exception {
        ReplicaSet.closeAll(cars, lbClient);
        if (set != null) {
            set.close();
        }
    }

    @Test
    @Order(1)
    void aStreamOnEitherReplica_seesTheChangesBothReplicasIngest() throws Exception {
        List<Set<String>> seen = List.of(ConcurrentHashMap.newKeySet(), ConcurrentHashMap.newKeySet());
        List<CompletableStream> streams = List.of(stream(set.replica(0).url(), seen.get(0)), stream(set.replica(1).url(), seen.get(1)));
        try {
            for (TestDevice car : cars) {
                publish(car);
            }
            Set<String> all = new HashSet<>();
            cars.forEach(c -> all.add(c.deviceId().replace("dev-", "car-")));
            long until = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while ((!seen.get(0).containsAll(all) || !seen.get(1).containsAll(all)) && System.nanoTime() < until) {
                Thread.sleep(200);
            }
            assertThat(seen.get(0)).as("the stream on replica a (each replica ingests about half)").containsAll(all);
            assertThat(seen.get(1)).as("the stream on replica b").containsAll(all);
        } finally {
            streams.forEach(CompletableStream::cancel);
        }
    }

    @Test
    @Order(2)
    void aReplicaSigkilledMidRun_losesNoRecord_storesNoneTwice_andEveryCommandIsAnsweredOnce() throws Exception {
        ReplicaSet.Replica victim = set.replica(1);
        java.net.http.HttpClient plain = java.net.http.HttpClient.newBuilder().version(java.net.http.HttpClient.Version.HTTP_1_1).build();
        List<Integer> statuses = new CopyOnWriteArrayList<>();
        AtomicLong resent = new AtomicLong();
        Map<String, Integer> commandStatus = new ConcurrentHashMap<>();
        ExecutorService pool = Executors.newFixedThreadPool(6);
        AtomicLong killedAt = new AtomicLong();
        long t0 = System.nanoTime();
        try {
            Future<?> commands = pool.submit(() -> {
                // one command per car for the first half of the fleet, a few a second, across the kill
                for (int i = 0; i < CARS / 2; i++) {
                    TestDevice car = cars.get(i);
                    String carId = car.deviceId().replace("dev-", "car-");
                    pool.submit(() -> {
                        int status = command(plain, carId, resent);
                        commandStatus.put(carId, status);
                        statuses.add(status);
                    });
                    sleep(Math.max(20, ROUNDS * 1000L / (CARS / 2)));
                }
            });
            for (int round = 0; round < ROUNDS; round++) {
                long roundStart = System.nanoTime();
                if (round == ROUNDS / 3) {
                    victim.kill();
                    killedAt.set(System.nanoTime());
                    System.out.printf("replica-kill: replica %s SIGKILLed after %d ms%n", victim.name(), (System.nanoTime() - t0) / 1_000_000);
                }
                if (round == ROUNDS / 3 + 2) {
                    pool.submit(() -> {
                        victim.start();
                        System.out.printf("replica-kill: replica %s healthy again %d ms after the kill%n", victim.name(),
                                (System.nanoTime() - killedAt.get()) / 1_000_000);
                    });
                }
                for (TestDevice car : cars) {
                    publish(car);
                }
                sleep(Math.max(0, 1000 - (System.nanoTime() - roundStart) / 1_000_000));
            }
            commands.get(120, TimeUnit.SECONDS);
            long until = System.nanoTime() + Duration.ofSeconds(150).toNanos();
            while ((!victim.isAlive() || commandStatus.size() < CARS / 2) && System.nanoTime() < until) {
                Thread.sleep(200);
            }
        } finally {
            pool.shutdown();
            pool.awaitTermination(150, TimeUnit.SECONDS);
        }
        assertThat(victim.isAlive()).as("the killed replica started again").isTrue();

        // every record the broker accepted is stored once: read back through the balancer until complete
        long lost = 0;
        long duplicated = 0;
        List<String> issues = new ArrayList<>();
        long until = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        for (TestDevice car : cars) {
            String carId = car.deviceId().replace("dev-", "car-");
            long last = published.get(car.deviceId());
            List<Long> seqs;
            do {
                seqs = new ArrayList<>();
                for (JsonNode r : expect(200, lb.get("/t/acme/cars/" + carId + "/telemetry?limit=1000", operator)).json()) {
                    seqs.add(r.path("seq").asLong());
                }
                if (new HashSet<>(seqs).size() >= last || System.nanoTime() > until) {
                    break;
                }
                Thread.sleep(500);
            } while (true);
            Set<Long> distinct = new HashSet<>(seqs);
            long missing = 0;
            for (long s = 1; s <= last; s++) {
                missing += distinct.contains(s) ? 0 : 1;
            }
            lost += missing;
            duplicated += seqs.size() - distinct.size();
            if ((missing > 0 || seqs.size() != distinct.size()) && issues.size() < 5) {
                issues.add(carId + ": " + missing + " missing, " + (seqs.size() - distinct.size()) + " twice");
            }
        }
        long total = published.values().stream().mapToLong(Long::longValue).sum();
        int executed = cars.stream().mapToInt(TestDevice::executions).sum();
        System.out.printf("replica-kill: %d cars, %d records published, %d lost, %d duplicated; %d commands: %s; %d executed by cars; %d s%n",
                CARS, total, lost, duplicated, commandStatus.size(), count(statuses), executed, (System.nanoTime() - t0) / 1_000_000_000);
        assertThat(issues).isEmpty();
        assertThat(lost).isZero();
        assertThat(duplicated).isZero();

        assertThat(commandStatus).hasSize(CARS / 2);
        System.out.printf("replica-kill: %d command(s) sent again with their id after the connection closed without an answer%n",
                resent.get());
        // every caller ends with the outcome or an honest 503/504, sending again with the same id where the balancer
        // closed its connection without an answer (docs/deploy.md, finding 2; docs/api.md, Commands)
        assertThat(statuses).as("the outcome, or an honest 503/504").allMatch(s -> s == 200 || s == 503 || s == 504);

        // no command of the run stays PENDING: those the killed replica was sending are concluded by a sweep
        io.latchkey.cloud.store.TenantStore store = set.tenantStore("acme");
        Map<String, String> recorded = new java.util.TreeMap<>();
        long concludedBy = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        do {
            recorded.clear();
            for (String carId : commandStatus.keySet()) {
                recorded.put(carId, store.read("commands", "kill-" + carId)
                        .map(v -> readTree(v.value()).path("status").asText()).orElse("NONE"));
            }
            // a late answer (the car's answer after its attempt timed out, or seen by the replica that was not
            // waiting) is recorded by the sweep once the attempt's lifetime and orphan-after have passed
            boolean answersRecorded = cars.stream().filter(c -> c.executions() == 1)
                    .map(c -> c.deviceId().replace("dev-", "car-"))
                    .filter(recorded::containsKey)
                    .allMatch(c -> "EXECUTED".equals(recorded.get(c)));
            if (!recorded.containsValue("PENDING") && store.list("commands-pending").isEmpty() && answersRecorded) {
                break;
            }
            Thread.sleep(500);
        } while (System.nanoTime() < concludedBy);
        System.out.printf("replica-kill: command records: %s%n", new java.util.TreeMap<>(recorded.values().stream().collect(java.util.stream.Collectors.groupingBy(v -> v, java.util.stream.Collectors.counting()))));
        assertThat(recorded).as("no command left PENDING").doesNotContainValue("PENDING");
        assertThat(store.list("commands-pending")).as("no command attempt left to conclude").isEmpty();
        for (int i = 0; i < CARS; i++) {
            TestDevice car = cars.get(i);
            Integer status = commandStatus.get(car.deviceId().replace("dev-", "car-"));
            assertThat(car.executions()).as(car.deviceId() + ": acted at most once").isLessThanOrEqualTo(status == null ? 0 : 1);
            if (status != null && status == 200) {
                assertThat(car.executions()).as(car.deviceId() + ": a 200 means the car did it").isEqualTo(1);
            }
            if (status != null) {
                String carId = car.deviceId().replace("dev-", "car-");
                if (car.executions() == 1) {
                    assertThat(recorded.get(carId)).as(carId + ": the record says what the car did").isEqualTo("EXECUTED");
                } else {
                    assertThat(recorded.get(carId)).as(carId + ": the record says what the car did").isNotEqualTo("EXECUTED");
                }
            }
        }
    }

    @Test
    @Order(3)
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
            for (int i = 0; i < borrowers.size(); i++) {
                // alternately straight to each replica, so that both decide at once
                Http to = new Http(client(set.replica(i % 2).url()));
                String borrower = borrowers.get(i);
                replies.add(pool.submit(() -> to.postJson("/t/acme/bookings", borrower, Map.of("carId", "car-000",
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
    @Order(4)
    void theLockout_stopsAtSixChecks_acrossReplicas() {
        expect(201, lb.postJson("/t/acme/users", null, Map.of("email", "lena@acme.test", "name", "Lena", "password", PASSWORD)));
        for (int i = 0; i < 6; i++) {
            assertThat(signIn("lena@acme.test", "wrong " + i).status()).isEqualTo(400);
        }
        for (int i = 0; i < 4; i++) {
            assertThat(signIn("lena@acme.test", PASSWORD).status()).as("locked on every replica").isEqualTo(400);
        }
    }

    @Test
    @Order(5)
    void aTokenKeyRotatedOnOneReplica_isHonouredByTheOther_atOnce() throws Exception {
        Http a = new Http(client(set.replica(0).url()));
        Http b = new Http(client(set.replica(1).url()));
        String kid = expect(200, a.postJson("/t/acme/keys/rotate", tenantAdmin, Map.of("key", "token"))).text("kid");
        String fresh = expect(200, a.postForm("/t/acme/oauth/token",
                Map.of("grant_type", "password", "username", "olga@acme.test", "password", PASSWORD))).text("access_token");
        assertThat(SignedJWT.parse(fresh).getHeader().getKeyID()).isEqualTo(kid);
        expect(200, b.get("/t/acme/cars/car-000", fresh));
    }

    @Test
    @Order(6)
    void theAuditChain_verifies() {
        assertThat(expect(200, lb.get("/t/acme/audit/verify", tenantAdmin)).text("status")).isEqualTo("OK");
    }

    /**
     * One UNLOCK as a documented client sends it (docs/api.md, Commands): with an id of its own, and again with the
     * same id when the connection closed without any answer (HAProxy closes a reused client connection that way when
     * the replica dies under the request), so that it ends with the outcome or an honest 503/504, and the car acts at
     * most once. A plain JDK client: the status it reads is what the balancer sent.
     */
    private int command(java.net.http.HttpClient plain, String carId, AtomicLong resent) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(set.lbUrl() + "/t/acme/cars/" + carId + "/commands"))
                .header("Authorization", "Bearer " + operator).header("Content-Type", "application/json")
                .timeout(Duration.ofSeconds(70))
                .POST(HttpRequest.BodyPublishers.ofString("{\"type\":\"UNLOCK\",\"id\":\"kill-" + carId + "\"}")).build();
        for (int attempt = 1; ; attempt++) {
            try {
                int status = plain.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
                if (status != 409 || attempt == 3) {
                    return status;
                }
                // "being sent by another request; retry": the first attempt's record is being concluded
                resent.incrementAndGet();
                sleep(500);
            } catch (java.io.IOException e) {
                System.out.printf("replica-kill: command to %s, attempt %d: no answer (%s)%n", carId, attempt, e);
                if (attempt == 3) {
                    return -1;
                }
                resent.incrementAndGet();
                sleep(500);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return -1;
            }
        }
    }

    private static JsonNode readTree(byte[] json) {
        try {
            return new com.fasterxml.jackson.databind.ObjectMapper().readTree(json);
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Waits as long as the balancer does (its {@code timeout server}), longer than a command's wait for the car. */
    private static HttpClient client(String url) throws java.net.MalformedURLException {
        io.micronaut.http.client.DefaultHttpClientConfiguration config = new io.micronaut.http.client.DefaultHttpClientConfiguration();
        config.setReadTimeout(Duration.ofSeconds(70));
        return HttpClient.create(new URL(url), config);
    }

    private void publish(TestDevice car) throws Exception {
        long first = published.merge(car.deviceId(), (long) RECORDS_PER_ROUND, Long::sum) - RECORDS_PER_ROUND + 1;
        TelemetryRecord[] records = new TelemetryRecord[RECORDS_PER_ROUND];
        for (int i = 0; i < RECORDS_PER_ROUND; i++) {
            long seq = first + i;
            records[i] = new TelemetryRecord(seq, Instant.now(), 52.5 + seq * 1e-4, 13.4, 30.0, 1200.0 + seq, null, false, true, 3, null, null);
        }
        car.publishTelemetry(records);
    }

    /** The fleet stream on one replica (straight, not through the balancer), collecting the car ids it names. */
    private CompletableStream stream(String url, Set<String> carIds) {
        java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
        HttpRequest request = HttpRequest.newBuilder(URI.create(url + "/t/acme/fleet/stream"))
                .header("Authorization", "Bearer " + operator).header("Accept", "text/event-stream").build();
        java.util.concurrent.CountDownLatch open = new java.util.concurrent.CountDownLatch(1);
        var future = http.sendAsync(request, HttpResponse.BodyHandlers.ofLines()).thenAccept(response -> {
            assertThat(response.statusCode()).isEqualTo(200);
            response.body().forEach(line -> {
                open.countDown();
                if (line.startsWith("data:")) {
                    int at = line.indexOf("\"carId\":\"");
                    if (at >= 0) {
                        carIds.add(line.substring(at + 9, line.indexOf('"', at + 9)));
                    }
                }
            });
        });
        // the stream's first line (its snapshot) shows it is subscribed: only changes after that are expected on it
        try {
            assertThat(open.await(30, java.util.concurrent.TimeUnit.SECONDS)).as("the stream on " + url + " opened").isTrue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        return () -> future.cancel(true);
    }

    private interface CompletableStream {
        void cancel();
    }

    private static Map<Integer, Long> count(List<Integer> statuses) {
        Map<Integer, Long> counts = new java.util.TreeMap<>();
        statuses.forEach(s -> counts.merge(s, 1L, Long::sum));
        return counts;
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private String token(String email) {
        return expect(200, signIn(email, PASSWORD)).text("access_token");
    }

    private Http.Reply signIn(String email, String password) {
        return lb.postForm("/t/acme/oauth/token", Map.of("grant_type", "password", "username", email, "password", password));
    }

    /**
     * A live stream resumed across a SIGKILL (issue 16; added after the methods above, which it leaves as they are). An
     * operator's fleet stream through the balancer lands on one replica; that replica is SIGKILLed; the client
     * reconnects through the balancer with the last id it got, as the console's {@code EventSource} does, and lands on
     * the other. That replica never issued the id (each process's ids carry its own tag in their lowest 10 bits), so
     * what the live feed promises is a {@code reset} first (reload the fleet view), then every change after the reset's
     * id, each once and in id order, also those the killed replica's broker session held until it came back. A stream
     * resumed on the surviving replica from one of its own ids replays exactly the events after it, and the restarted
     * process, with a new tag, resets an id of the killed one.
     */
    @Test
    @Order(7)
    void aFleetStreamOnTheReplicaSigkilled_resumesOnTheOther_withAResetThenEveryChangeOnceInOrder() throws Exception {
        Duration wait = Duration.ofSeconds(60);
        Map<String, String> auth = Map.of("Authorization", "Bearer " + token("olga@acme.test"));
        String path = "/t/acme/fleet/stream";
        int[] tags = new int[2];
        for (int attempt = 0; attempt < 3 && tags[0] == tags[1]; attempt++) {
            if (attempt > 0) {
                // both processes drew the same random tag (1 in 1023; docs/scaling.md): this test tells them apart by it
                set.replica(1).kill();
                set.replica(1).start();
            }
            for (int i = 0; i < 2; i++) {
                // a resume from an id the replica never issued: reset, with its latest id (whose lowest bits are its tag)
                try (SseStream probe = SseStream.open(set.replica(i).url(), path, auth, "not-an-id")) {
                    tags[i] = liveTag(probe.next(r -> r.name().equals("reset"), wait).id());
                }
            }
        }
        assertThat(tags[0]).as("the two processes' tags").isNotEqualTo(tags[1]);

        SseStream first = SseStream.open(set.lbUrl(), path, auth, null);
        assertThat(first.status()).isEqualTo(200);
        for (TestDevice car : cars) {
            publish(car);
        }
        awaitLastSeqs(first, Map.copyOf(published), wait);
        String lastId = first.received().get(first.received().size() - 1).id();
        int served = liveTag(lastId) == tags[0] ? 0 : 1;
        assertThat(liveTag(lastId)).isEqualTo(tags[served]);
        ReplicaSet.Replica victim = set.replica(served);
        ReplicaSet.Replica survivor = set.replica(1 - served);
        victim.kill();
        long until = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!first.ended() && System.nanoTime() < until) {
            Thread.sleep(50);
        }
        assertThat(first.ended()).as("the balancer closed the stream of the killed replica").isTrue();
        for (TestDevice car : cars) {
            publish(car); // while the replica is down: the broker keeps its share of them for its session
        }

        SseStream resumed = SseStream.open(set.lbUrl(), path, auth, lastId);
        SseStream.Received reset = resumed.next(wait);
        assertThat(reset.name()).as("the first event of the resumed stream").isEqualTo("reset");
        assertThat(liveTag(reset.id())).as("served by the surviving replica").isEqualTo(tags[1 - served]);
        // what the client does on reset: it reads the fleet view again (from the survivor's memory)
        JsonNode view = expect(200, lb.get("/t/acme/fleet?size=1000", token("olga@acme.test"))).json();
        assertThat(view.path("total").asInt()).isEqualTo(CARS);
        for (TestDevice car : cars) {
            publish(car);
        }
        victim.start();
        for (TestDevice car : cars) {
            publish(car);
        }
        Map<String, Long> last = Map.copyOf(published);
        awaitLastSeqs(resumed, last, wait);
        Thread.sleep(500); // what is still on its way
        List<SseStream.Received> after = resumed.received().subList(1, resumed.received().size());
        long previous = Long.parseLong(reset.id());
        for (SseStream.Received r : after) {
            assertThat(r.name()).as("one reset only").isNotEqualTo("reset");
            assertThat(liveTag(r.id())).as("every id the survivor's").isEqualTo(tags[1 - served]);
            assertThat(Long.parseLong(r.id())).as("ids increase: no event twice, none out of order").isGreaterThan(previous);
            previous = Long.parseLong(r.id());
        }
        // and per car, each record's state once, in the car's order (a batch stored again, or one older than the
        // car's state, publishes nothing: TelemetryIngestor)
        Map<String, Long> lastSeqOf = new java.util.HashMap<>();
        for (SseStream.Received r : after) {
            if ("telemetry".equals(r.json().path("source").asText())) {
                long seq = r.json().path("state").path("lastSeq").asLong();
                Long before = lastSeqOf.put(r.carId(), seq);
                assertThat(seq).as(r.carId() + ": after " + before).isGreaterThan(before == null ? 0 : before);
            }
        }
        assertThat(lastSeqOf).as("cars whose records the resumed stream carried").hasSize(CARS);
        System.out.printf("replica-kill: stream on %s resumed on %s after the SIGKILL: reset, then %d events, ids in order%n",
                victim.name(), survivor.name(), after.size());

        // on the replica that issued them, a resume replays exactly the events after the id
        int from = after.size() / 2;
        List<SseStream.Received> expected = after.subList(from + 1, after.size());
        try (SseStream again = SseStream.open(survivor.url(), path, auth, after.get(from).id())) {
            long deadline = System.nanoTime() + wait.toNanos();
            while (again.received().size() < expected.size() && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            List<String> replayed = again.received().stream().limit(expected.size()).map(r -> r.id() + " " + r.name() + " " + r.data()).toList();
            assertThat(replayed).isEqualTo(expected.stream().map(r -> r.id() + " " + r.name() + " " + r.data()).toList());
        }
        // the restarted process has a new tag and new ids: the killed process's id resets there too
        try (SseStream onRestarted = SseStream.open(victim.url(), path, auth, lastId)) {
            assertThat(onRestarted.next(wait).name()).isEqualTo("reset");
        }
        first.close();
        resumed.close();
    }

    /** The lowest 10 bits of a live event id: the tag of the process that issued it ({@code LiveFeed.ID_STEP}). */
    private static int liveTag(String eventId) {
        return (int) Math.floorMod(Long.parseLong(eventId), (long) io.latchkey.cloud.live.LiveFeed.ID_STEP);
    }

    /** Waits until {@code stream} carried, for every car, a state at or past the sequence number it last published. */
    private void awaitLastSeqs(SseStream stream, Map<String, Long> lastSeqs, Duration wait) throws InterruptedException {
        long deadline = System.nanoTime() + wait.toNanos();
        Map<String, Long> missing = new java.util.HashMap<>();
        do {
            Map<String, Long> seen = new java.util.HashMap<>();
            for (SseStream.Received r : stream.received()) {
                if (!r.name().equals("reset") && r.json().path("state").has("lastSeq")) {
                    seen.merge(r.carId(), r.json().path("state").path("lastSeq").asLong(), Math::max);
                }
            }
            missing.clear();
            lastSeqs.forEach((device, seq) -> {
                String car = device.replace("dev-", "car-");
                if (seen.getOrDefault(car, 0L) < seq) {
                    missing.put(car, seq);
                }
            });
            if (missing.isEmpty()) {
                return;
            }
            Thread.sleep(100);
        } while (System.nanoTime() < deadline);
        throw new AssertionError(missing.size() + " cars' last records not on the stream within " + wait + ", e.g. "
                + missing.entrySet().stream().limit(5).toList());
    }
}
