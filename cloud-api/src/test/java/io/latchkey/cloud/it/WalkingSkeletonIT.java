package io.latchkey.cloud.it;

import static io.latchkey.cloud.it.CloudApp.expect;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.latchkey.protocol.LockState;
import io.latchkey.protocol.telemetry.TelemetryReceipt;
import io.latchkey.protocol.telemetry.TelemetryRecord;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The walking skeleton over real HTTP, real MQTT through the embedded broker and real JWTs: a platform
 * admin creates a tenant, its admin creates an operator and a borrower, the operator a car, the borrower
 * books it and unlocks and locks it through a device that verifies every signature.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class WalkingSkeletonIT {
    static final String TENANT = "acme";
    @TempDir
    static Path dataDir;
    CloudApp app;
    TestDevice device;
    String operator;
    String borrower;

    @BeforeAll
    void start() throws Exception {
        app = CloudApp.start(dataDir, Map.of("latchkey.commands.timeout", "5s"));
        String tenantAdmin = app.tenantWithAdmin(TENANT);
        operator = app.user(TENANT, tenantAdmin, "olga@acme.test", "operator");
        borrower = app.user(TENANT, tenantAdmin, "bob@acme.test", "borrower");
        app.car(TENANT, operator, "car-1", "dev-001");
        JsonNode discovery = expect(200, app.http.get("/t/" + TENANT + "/.well-known/latchkey-device", null)).json();
        assertThat(discovery.path("mqttUrl").asText()).isEqualTo(app.mqttUrl()).startsWith("tcp://127.0.0.1:");
        device = new TestDevice(app, TENANT, "dev-001", TestDevice.keys(discovery),
                Clock.systemUTC());
    }

    @AfterAll
    void stop() throws Exception {
        if (device != null) {
            device.close();
        }
        if (app != null) {
            app.close();
        }
    }

    @Test
    void borrower_booksUnlocksAndLocks_throughTheSignedMqttPath() {
        Instant now = Instant.now();
        expect(201, app.http.postJson("/t/acme/bookings", borrower, Map.of("carId", "car-1",
                "start", now.minusSeconds(60).toString(), "end", now.plus(Duration.ofHours(1)).toString())));

        Http.Reply unlock = expect(200, app.http.postJson("/t/acme/cars/car-1/commands", borrower, Map.of("type", "UNLOCK")));
        assertThat(unlock.text("outcome")).isEqualTo("EXECUTED");
        assertThat(unlock.text("lockState")).isEqualTo("UNLOCKED");
        assertThat(unlock.text("type")).isEqualTo("UNLOCK");

        JsonNode car = expect(200, app.http.get("/t/acme/cars/car-1", borrower)).json();
        assertThat(car.path("state").path("lockState").asText()).isEqualTo("UNLOCKED");

        Http.Reply lock = expect(200, app.http.postJson("/t/acme/cars/car-1/commands", borrower, Map.of("type", "LOCK")));
        assertThat(lock.text("lockState")).isEqualTo("LOCKED");
        assertThat(expect(200, app.http.get("/t/acme/cars/car-1", operator)).json()
                .path("state").path("lockState").asText()).isEqualTo("LOCKED");
    }

    @Test
    void retriedCommandId_isAnsweredFromTheFirstResult_withoutPublishingAgain() {
        Map<String, String> body = Map.of("type", "LOCK", "id", "retry-me-1");
        Http.Reply first = expect(200, app.http.postJson("/t/acme/cars/car-1/commands", operator, body));
        int sent = device.receivedCommands().size();

        Http.Reply again = expect(200, app.http.postJson("/t/acme/cars/car-1/commands", operator, body));

        assertThat(again.text("commandId")).isEqualTo("retry-me-1");
        assertThat(again.text("outcome")).isEqualTo(first.text("outcome"));
        assertThat(again.text("lockState")).isEqualTo(first.text("lockState"));
        assertThat(device.receivedCommands()).hasSize(sent);
    }

    @Test
    void lock_withDoorOpen_failsOnTheCar_andAnswers409() {
        device.openDoor(true);
        try {
            Http.Reply reply = expect(409, app.http.postJson("/t/acme/cars/car-1/commands", operator, Map.of("type", "LOCK")));
            assertThat(reply.text("outcome")).isEqualTo("FAILED");
            assertThat(reply.text("reason")).isEqualTo("DOOR_OPEN");
        } finally {
            device.openDoor(false);
        }
    }

    @Test
    void telemetry_isStoredOncePerSequence_andMovesTheCarState_andEachBatchIsReceipted() throws Exception {
        Instant t = Instant.now();
        int receiptsBefore = device.receipts().size();
        device.publishTelemetry(record(1, t, 52.52), record(2, t.plusSeconds(1), 52.53));
        device.publishTelemetry(record(2, t.plusSeconds(1), 52.53), record(3, t.plusSeconds(2), 52.54));
        device.publishTelemetry(record(1, t, 52.52));

        // Every batch is answered once stored, resends (already stored) included, so the car may release them.
        await().atMost(Duration.ofSeconds(10)).until(() -> device.receipts().size() >= receiptsBefore + 3);
        assertThat(device.receipts().subList(receiptsBefore, receiptsBefore + 3)).containsExactly(
                new TelemetryReceipt(TENANT, "dev-001", 1, 2), new TelemetryReceipt(TENANT, "dev-001", 2, 3),
                new TelemetryReceipt(TENANT, "dev-001", 1, 1));
        assertThat(device.unverifiedReceipts()).isZero();

        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            JsonNode records = expect(200, app.http.get("/t/acme/cars/car-1/telemetry?limit=50", operator)).json();
            List<Long> seqs = new ArrayList<>();
            records.forEach(r -> seqs.add(r.path("seq").asLong()));
            assertThat(seqs).containsExactly(1L, 2L, 3L);
        });
        JsonNode state = expect(200, app.http.get("/t/acme/cars/car-1", operator)).json().path("state");
        assertThat(state.path("lastSeq").asLong()).isEqualTo(3);
        assertThat(state.path("lat").asDouble()).isEqualTo(52.54);
        assertThat(state.path("odometerKm").asDouble()).isEqualTo(12003.0);
        assertThat(state.path("online").asBoolean()).isTrue();

        JsonNode lastTwo = expect(200, app.http.get("/t/acme/cars/car-1/telemetry?limit=2", operator)).json();
        assertThat(lastTwo).hasSize(2);
        assertThat(lastTwo.get(0).path("seq").asLong()).isEqualTo(2);
    }

    @Test
    void implausibleTelemetry_isRefused_namedInTheSignedReceipt_andNeverMovesTheCarState() throws Exception {
        app.car(TENANT, operator, "car-2", "dev-002");
        JsonNode discovery = expect(200, app.http.get("/t/" + TENANT + "/.well-known/latchkey-device", null)).json();
        try (TestDevice car2 = new TestDevice(app, TENANT, "dev-002", TestDevice.keys(discovery),
                Clock.systemUTC())) {
            Instant t = Instant.now();
            TelemetryRecord good = record(1, t, 52.5);
            TelemetryRecord offTheMap = new TelemetryRecord(2, t, 999.0, -999.0, -50.0, -1.0, LockState.UNLOCKED, true,
                    true, 3, Map.of(), "PERIODIC");
            TelemetryRecord emptyTank = new TelemetryRecord(3, t, 52.6, 13.4, 10.0, 12010.0, LockState.UNLOCKED, false,
                    false, 3, Map.of("Vehicle.Powertrain.FuelSystem.RelativeLevel", 250.0), "PERIODIC");
            TelemetryRecord pinsTheState = record(Long.MAX_VALUE, t, 10.0);
            car2.publishTelemetry(good, offTheMap, emptyTank, pinsTheState);

            await().atMost(Duration.ofSeconds(10)).until(() -> !car2.receipts().isEmpty());
            assertThat(car2.receipts().get(0)).isEqualTo(new TelemetryReceipt(TENANT, "dev-002", 1, Long.MAX_VALUE,
                    List.of(2L, 3L, Long.MAX_VALUE)));
            JsonNode state = expect(200, app.http.get("/t/acme/cars/car-2", operator)).json().path("state");
            assertThat(state.path("lastSeq").asLong()).isEqualTo(1);
            assertThat(state.path("lat").asDouble()).isEqualTo(52.5);
            assertThat(state.path("lockState").asText()).isEqualTo("LOCKED");

            // the state's high-water mark did not move: the next real record still counts
            car2.publishTelemetry(record(2, t.plusSeconds(1), 52.51));
            await().atMost(Duration.ofSeconds(10)).until(() -> car2.receipts().size() >= 2);
            assertThat(car2.receipts().get(1).refused()).isEmpty();
            JsonNode after = expect(200, app.http.get("/t/acme/cars/car-2", operator)).json().path("state");
            assertThat(after.path("lastSeq").asLong()).isEqualTo(2);
            assertThat(after.path("lat").asDouble()).isEqualTo(52.51);
            JsonNode stored = expect(200, app.http.get("/t/acme/cars/car-2/telemetry?limit=50", operator)).json();
            assertThat(stored.findValuesAsText("seq")).containsExactly("1", "2");
            assertThat(expect(200, app.http.get("/prometheus", null)).body())
                    .contains("latchkey_telemetry_refused_total{rule=\"latitude\",tenant=\"acme\"} 1.0")
                    .contains("latchkey_telemetry_refused_total{rule=\"percent\",tenant=\"acme\"} 1.0")
                    .contains("latchkey_telemetry_refused_total{rule=\"seq\",tenant=\"acme\"} 1.0");
        }
    }

    @Test
    void deviceState_lastWill_marksTheCarOffline() throws Exception {
        device.publishState(false);
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(
                expect(200, app.http.get("/t/acme/cars/car-1", operator)).json().path("state").path("online").asBoolean())
                .isFalse());
        device.publishState(true);
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(
                expect(200, app.http.get("/t/acme/cars/car-1", operator)).json().path("state").path("online").asBoolean())
                .isTrue());
    }

    private static TelemetryRecord record(long seq, Instant time, double lat) {
        return new TelemetryRecord(seq, time, lat, 13.405, 0.0, 12000.0 + seq, LockState.LOCKED, false, false, 3,
                Map.of("Vehicle.Powertrain.FuelSystem.RelativeLevel", 63.0), "PERIODIC");
    }
}
