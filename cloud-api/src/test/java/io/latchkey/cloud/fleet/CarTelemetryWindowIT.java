package io.latchkey.cloud.fleet;

import static io.latchkey.cloud.it.CloudApp.expect;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.latchkey.cloud.it.CloudApp;
import io.latchkey.cloud.it.TestDevice;
import io.latchkey.protocol.LockState;
import io.latchkey.protocol.telemetry.TelemetryRecord;
import java.nio.file.Path;
import java.security.PublicKey;
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
 * What the console's car page reads besides the car: its telemetry in a time window ({@code from}/{@code to}, for the
 * charts and a trip's replay) and whether it is immobilised (the car's answers to IMMOBILISE and MOBILISE).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CarTelemetryWindowIT {
    static final Instant T0 = Instant.parse("2026-05-01T08:00:00Z");
    @TempDir
    static Path dataDir;
    CloudApp app;
    String operator;
    String borrower;
    Map<String, PublicKey> keys;

    @BeforeAll
    void start() {
        app = CloudApp.start(dataDir, Map.of("latchkey.commands.timeout", "3s"));
        String admin = app.tenantWithAdmin("acme");
        operator = app.user("acme", admin, "olga@acme.test", "operator");
        borrower = app.user("acme", admin, "bob@acme.test", "borrower");
        app.car("acme", operator, "car-1", "dev-1");
        app.car("acme", operator, "car-2", "dev-2");
        keys = TestDevice.keys(expect(200, app.http.get("/t/acme/.well-known/latchkey-device", null)).json());
    }

    @AfterAll
    void stop() {
        if (app != null) {
            app.close();
        }
    }

    @Test
    void telemetry_fromTo_returnsTheLatestRecordsOfTheWindow_oldestFirst() throws Exception {
        try (TestDevice car = new TestDevice(app, "acme", "dev-1", keys, Clock.systemUTC())) {
            List<TelemetryRecord> records = new ArrayList<>();
            for (int i = 1; i <= 10; i++) {
                records.add(new TelemetryRecord(i, T0.plusSeconds(60L * i), 52.5, 13.4, 10.0 * i, 1000.0 + i, LockState.LOCKED,
                        false, true, 3, Map.of(), "PERIODIC"));
            }
            car.publishTelemetry(records.toArray(TelemetryRecord[]::new));
            await().atMost(Duration.ofSeconds(10)).until(() -> !car.receipts().isEmpty());
        }
        // [08:03, 08:07): minutes 3..6
        assertThat(seqs("/t/acme/cars/car-1/telemetry?from=2026-05-01T08:03:00Z&to=2026-05-01T08:07:00Z&limit=100"))
                .containsExactly(3L, 4L, 5L, 6L);
        // the latest two of the window
        assertThat(seqs("/t/acme/cars/car-1/telemetry?from=2026-05-01T08:03:00Z&to=2026-05-01T08:07:00Z&limit=2"))
                .containsExactly(5L, 6L);
        // one bound alone is open on the other side
        assertThat(seqs("/t/acme/cars/car-1/telemetry?from=2026-05-01T08:09:00Z")).containsExactly(9L, 10L);
        assertThat(seqs("/t/acme/cars/car-1/telemetry?to=2026-05-01T08:02:00Z")).containsExactly(1L);
        // without bounds: the latest, as before
        assertThat(seqs("/t/acme/cars/car-1/telemetry?limit=3")).containsExactly(8L, 9L, 10L);
        // an empty window
        assertThat(seqs("/t/acme/cars/car-1/telemetry?from=2026-05-02T00:00:00Z")).isEmpty();
    }

    @Test
    void telemetry_badWindow_is400_unknownCar404_borrower403() {
        assertThat(expect(400, app.http.get("/t/acme/cars/car-1/telemetry?from=yesterday", operator)).text("detail"))
                .contains("from must be an ISO-8601 instant");
        assertThat(expect(400, app.http.get("/t/acme/cars/car-1/telemetry?from=2026-05-01T08:03:00Z&to=2026-05-01T08:03:00Z",
                operator)).text("detail")).contains("to must be after from");
        expect(400, app.http.get("/t/acme/cars/car-1/telemetry?to=8am", operator));
        expect(404, app.http.get("/t/acme/cars/car-9/telemetry?from=2026-05-01T08:03:00Z", operator));
        expect(403, app.http.get("/t/acme/cars/car-1/telemetry?from=2026-05-01T08:03:00Z", borrower));
    }

    @Test
    void immobilised_followsTheCarsAnswers_notItsRefusals() throws Exception {
        try (TestDevice car = new TestDevice(app, "acme", "dev-2", keys, Clock.systemUTC()).withInterlock()) {
            car.publishState(true);
            assertThat(state("car-2").has("immobilised")).as("unknown before any answer").isFalse();
            car.publishTelemetry(new TelemetryRecord(1, Instant.now(), 52.5, 13.4, 0.0, 10.0, LockState.LOCKED, false, false, 3,
                    Map.of(), "PERIODIC"));
            await().atMost(Duration.ofSeconds(10)).until(() -> car.receipts().size() == 1);
            expect(200, app.http.postJson("/t/acme/cars/car-2/commands", operator, Map.of("type", "IMMOBILISE")));
            assertThat(state("car-2").path("immobilised").asBoolean(false)).isTrue();
            expect(200, app.http.postJson("/t/acme/cars/car-2/commands", operator, Map.of("type", "MOBILISE")));
            assertThat(state("car-2").path("immobilised").isBoolean()).isTrue();
            assertThat(state("car-2").path("immobilised").asBoolean(true)).isFalse();

            // driving: the car's interlock refuses, and the state stays mobilised
            car.publishTelemetry(new TelemetryRecord(2, Instant.now(), 52.5, 13.4, 42.0, 10.2, LockState.LOCKED, false, true, 3,
                    Map.of(), "PERIODIC"));
            await().atMost(Duration.ofSeconds(10)).until(() -> car.receipts().size() == 2);
            JsonNode refused = expect(409, app.http.postJson("/t/acme/cars/car-2/commands", operator, Map.of("type", "IMMOBILISE"))).json();
            assertThat(refused.path("outcome").asText()).isEqualTo("REJECTED");
            assertThat(refused.path("reason").asText()).isEqualTo("MOVING");
            assertThat(refused.path("failed").toString()).isEqualTo("[\"MOVING\",\"IGNITION_ON\"]");
            assertThat(state("car-2").path("immobilised").asBoolean(true)).isFalse();
        }
    }

    JsonNode state(String carId) {
        return expect(200, app.http.get("/t/acme/cars/" + carId, operator)).json().path("state");
    }

    List<Long> seqs(String path) {
        List<Long> seqs = new ArrayList<>();
        expect(200, app.http.get(path, operator)).json().forEach(r -> seqs.add(r.path("seq").asLong()));
        return seqs;
    }
}
