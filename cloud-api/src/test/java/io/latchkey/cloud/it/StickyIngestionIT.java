package io.latchkey.cloud.it;

import static io.latchkey.cloud.it.CloudApp.PASSWORD;
import static io.latchkey.cloud.it.CloudApp.expect;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.latchkey.cloud.mqtt.ReplicaMembership;
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
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * Car-sticky ingestion on the reference deployment ({@link ReplicaSet}: Mosquitto's round-robin {@code $share}, two
 * replicas, Azurite): each car's batches, whichever replica the broker hands them to, are stored by the replica that
 * owns the car (counted by each replica's {@code latchkey_telemetry_stored_total}); when the owner is SIGKILLed its
 * cars move to the survivor within {@link ReplicaMembership#EXPIRES_AFTER} and back after its restart, and no record
 * is lost or stored twice.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class StickyIngestionIT {
    private static final int CARS = 8;
    private static final int RECORDS_PER_BATCH = 2;
    private static final List<String> IDS = List.of("latchkey-cloud-a", "latchkey-cloud-b");
    @TempDir
    static Path dir;
    ReplicaSet set;
    HttpClient lbClient;
    Http lb;
    String operator;
    final List<TestDevice> cars = new ArrayList<>();
    final Map<String, Long> published = new HashMap<>();
    final java.net.http.HttpClient scrape = java.net.http.HttpClient.newHttpClient();

    @BeforeAll
    void start() throws Exception {
        set = new ReplicaSet(dir, List.of("acme"), 2, Map.of());
        lbClient = HttpClient.create(new URL(set.lbUrl()));
        lb = new Http(lbClient);
        String admin = expect(200, lb.postForm("/platform/oauth/token",
                Map.of("grant_type", "password", "username", "admin", "password", CloudApp.ADMIN_PASSWORD))).text("access_token");
        expect(201, lb.postJson("/platform/tenants", admin, Map.of("id", "acme", "name", "acme cars")));
        expect(201, lb.postJson("/platform/tenants/acme/admins", admin,
                Map.of("email", "admin@acme.test", "name", "Admin", "password", PASSWORD)));
        String tenantAdmin = token("admin@acme.test");
        expect(201, lb.postJson("/t/acme/users", tenantAdmin,
                Map.of("email", "olga@acme.test", "name", "Olga", "password", PASSWORD, "roles", List.of("operator"))));
        operator = token("olga@acme.test");
        Map<String, PublicKey> keys = TestDevice.keys(expect(200, lb.get("/t/acme/.well-known/latchkey-device", null)).json());
        for (int i = 0; i < CARS; i++) {
            cars.add(set.enrolCar(lb, "acme", operator, tenantAdmin, String.format("car-%03d", i), String.format("dev-%03d", i), keys));
        }
        assertThat(owned("latchkey-cloud-a")).as("each replica owns some of the cars").isNotEmpty();
        assertThat(owned("latchkey-cloud-b")).isNotEmpty();
        await(Duration.ofSeconds(20), () -> live(0) == 2 && live(1) == 2, "the replicas hear each other");
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
    void eachCarsBatches_throughTheRoundRobinGroup_areStoredByTheReplicaThatOwnsIt() throws Exception {
        Map<String, Double> before = counts();
        int rounds = 6;
        for (int round = 0; round < rounds; round++) {
            for (TestDevice car : cars) {
                publish(car);
            }
            Thread.sleep(100);
        }
        long records = (long) rounds * CARS * RECORDS_PER_BATCH;
        await(Duration.ofSeconds(60), () -> stored(0) + stored(1) - before.get("stored0") - before.get("stored1") >= records,
                "every record stored");
        Map<String, Double> after = counts();
        long ownedByA = owned("latchkey-cloud-a").size() * (long) rounds * RECORDS_PER_BATCH;
        long ownedByB = owned("latchkey-cloud-b").size() * (long) rounds * RECORDS_PER_BATCH;
        System.out.printf("sticky: %d records; stored by a %.0f (owns %d), by b %.0f (owns %d); forwarded a→b %.0f, b→a %.0f%n",
                records, after.get("stored0") - before.get("stored0"), ownedByA, after.get("stored1") - before.get("stored1"), ownedByB,
                after.get("forwarded0") - before.get("forwarded0"), after.get("forwarded1") - before.get("forwarded1"));
        assertThat(after.get("stored0") - before.get("stored0")).as("replica a stored exactly its own cars' records").isEqualTo(ownedByA);
        assertThat(after.get("stored1") - before.get("stored1")).as("replica b stored exactly its own cars' records").isEqualTo(ownedByB);
        assertThat(after.get("forwarded0") - before.get("forwarded0")).as("the broker handed a some of b's cars' batches")
                .isPositive().isEqualTo(after.get("received1") - before.get("received1"));
        assertThat(after.get("forwarded1") - before.get("forwarded1")).as("and b some of a's")
                .isPositive().isEqualTo(after.get("received0") - before.get("received0"));
        assertThat(after.get("failed0") + after.get("failed1")).as("no forward failed").isZero();
        assertStoredOnce();
    }

    @Test
    @Order(2)
    void whenTheOwnerIsKilled_itsCarsMoveToTheSurvivor_withinTheBound_andBackAfterItsRestart_nothingLostOrTwice() throws Exception {
        ReplicaSet.Replica victim = set.replica(1);
        victim.kill();
        long killedAt = System.nanoTime();
        // batches in the first seconds: the survivor still forwards b's cars to b, whose session at the broker keeps them
        for (TestDevice car : cars) {
            publish(car);
        }
        await(Duration.ofSeconds(10), () -> live(0) == 1, "the survivor stops hearing the killed replica");
        long movedAfterMs = (System.nanoTime() - killedAt) / 1_000_000;
        System.out.printf("sticky: replica b's cars moved to a %d ms after the kill%n", movedAfterMs);
        assertThat(movedAfterMs).as("within the bound (3 s after b's last heartbeat, polled every 100 ms)")
                .isLessThanOrEqualTo(ReplicaMembership.EXPIRES_AFTER.plusSeconds(2).toMillis());

        double forwardedBefore = metric(0, "latchkey_ingestion_forwarded_total");
        double storedBefore = stored(0);
        for (int round = 0; round < 4; round++) {
            for (TestDevice car : cars) {
                publish(car);
            }
            Thread.sleep(100);
        }
        // Mosquitto keeps handing the killed replica's session its share (stored when it is back); what reaches a is
        // stored by a, b's cars included, and nothing is forwarded
        await(Duration.ofSeconds(30), () -> stored(0) > storedBefore, "the survivor stores what reaches it");
        Thread.sleep(1000);
        assertThat(metric(0, "latchkey_ingestion_forwarded_total")).as("nothing forwarded to the dead replica").isEqualTo(forwardedBefore);

        victim.start();
        await(Duration.ofSeconds(20), () -> live(0) == 2 && live(1) == 2, "the restarted replica is heard again");
        assertStoredOnce();

        // b owns its cars again: forwards to it resume and each stores exactly its own cars' records
        Map<String, Double> before = counts();
        for (int round = 0; round < 4; round++) {
            for (TestDevice car : cars) {
                publish(car);
            }
            Thread.sleep(100);
        }
        long records = 4L * CARS * RECORDS_PER_BATCH;
        await(Duration.ofSeconds(60), () -> stored(0) + stored(1) - before.get("stored0") - before.get("stored1") >= records,
                "every record stored");
        assertThat(stored(0) - before.get("stored0")).isEqualTo(owned("latchkey-cloud-a").size() * 4L * RECORDS_PER_BATCH);
        assertThat(stored(1) - before.get("stored1")).isEqualTo(owned("latchkey-cloud-b").size() * 4L * RECORDS_PER_BATCH);
        assertStoredOnce();
    }

    /** Every record published so far is stored exactly once (read back through the balancer). */
    private void assertStoredOnce() throws Exception {
        long until = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        List<String> issues = new ArrayList<>();
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
                Thread.sleep(300);
            } while (true);
            Set<Long> distinct = new HashSet<>(seqs);
            long missing = 0;
            for (long s = 1; s <= last; s++) {
                missing += distinct.contains(s) ? 0 : 1;
            }
            if (missing > 0 || seqs.size() != distinct.size()) {
                issues.add(carId + ": " + missing + " missing, " + (seqs.size() - distinct.size()) + " twice");
            }
        }
        assertThat(issues).as("records lost or stored twice").isEmpty();
    }

    private List<String> owned(String replica) {
        return cars.stream().map(TestDevice::deviceId).filter(d -> ReplicaMembership.owner("acme/" + d, IDS).equals(replica)).toList();
    }

    private void publish(TestDevice car) throws Exception {
        long first = published.merge(car.deviceId(), (long) RECORDS_PER_BATCH, Long::sum) - RECORDS_PER_BATCH + 1;
        TelemetryRecord[] records = new TelemetryRecord[RECORDS_PER_BATCH];
        for (int i = 0; i < RECORDS_PER_BATCH; i++) {
            long seq = first + i;
            records[i] = new TelemetryRecord(seq, Instant.now(), 52.5 + seq * 1e-4, 13.4, 30.0, 1200.0 + seq, null, false, true, 3, null, null);
        }
        car.publishTelemetry(records);
    }

    private Map<String, Double> counts() {
        Map<String, Double> c = new HashMap<>();
        for (int i = 0; i < 2; i++) {
            c.put("stored" + i, stored(i));
            c.put("forwarded" + i, metric(i, "latchkey_ingestion_forwarded_total"));
            c.put("received" + i, metric(i, "latchkey_ingestion_forwards_received_total"));
            c.put("failed" + i, metric(i, "latchkey_ingestion_forwards_failed_total"));
        }
        return c;
    }

    private double stored(int replica) {
        return metric(replica, "latchkey_telemetry_stored_total\\{tenant=\"acme\",?\\}");
    }

    private int live(int replica) {
        return (int) metric(replica, "latchkey_ingestion_replicas_live");
    }

    /** A replica's meter from its {@code /prometheus} (straight, on loopback); 0 when it has none yet or is down. */
    private double metric(int replica, String name) {
        try {
            String text = scrape.send(HttpRequest.newBuilder(URI.create(set.replica(replica).url() + "/prometheus"))
                    .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString()).body();
            Matcher m = Pattern.compile("(?m)^" + name + " ([0-9.eE+-]+)$").matcher(text);
            return m.find() ? Double.parseDouble(m.group(1)) : 0;
        } catch (java.io.IOException e) {
            return 0;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 0;
        }
    }

    private static void await(Duration timeout, BooleanSupplier condition, String what) throws InterruptedException {
        long until = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > until) {
                throw new AssertionError(what + ": not within " + timeout);
            }
            Thread.sleep(100);
        }
    }

    private String token(String email) {
        return expect(200, lb.postForm("/t/acme/oauth/token",
                Map.of("grant_type", "password", "username", email, "password", PASSWORD))).text("access_token");
    }
}
