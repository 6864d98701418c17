package io.latchkey.cloud.fleet;

import static io.latchkey.cloud.it.CloudApp.expect;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.latchkey.cloud.audit.AuditRecord;
import io.latchkey.cloud.audit.ChainVerification;
import io.latchkey.cloud.audit.HashChainedAuditLog;
import io.latchkey.cloud.it.CloudApp;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code POST /t/{tenant}/cars/batch}: a fleet's cars in one request, each audited as if registered alone, and a list
 * with one bad or taken entry registers nothing.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CarBatchIT {
    @TempDir
    static Path dataDir;
    CloudApp app;
    String operator;
    String borrower;
    String globexAdmin;

    @BeforeAll
    void start() {
        app = CloudApp.start(dataDir, Map.of());
        String admin = app.tenantWithAdmin("acme");
        operator = app.user("acme", admin, "olga@acme.test", "operator");
        borrower = app.user("acme", admin, "bob@acme.test", "borrower");
        globexAdmin = app.tenantWithAdmin("globex");
    }

    @AfterAll
    void stop() {
        if (app != null) {
            app.close();
        }
    }

    private static Map<String, Object> car(String id, String deviceId) {
        Map<String, Object> car = new HashMap<>();
        if (id != null) {
            car.put("id", id);
        }
        car.put("name", "Car " + deviceId);
        car.put("plate", "B-" + deviceId);
        car.put("deviceId", deviceId);
        return car;
    }

    private List<String> carIds() {
        JsonNode list = expect(200, app.http.get("/t/acme/cars", operator)).json();
        return StreamSupport.stream(list.spliterator(), false).map(c -> c.get("id").asText()).toList();
    }

    private HashChainedAuditLog audit() {
        return app.context().getBean(HashChainedAuditLog.class);
    }

    @Test
    void aBatch_registersEveryCar_inOrder_eachAuditedAsCarCreate() {
        long auditBefore = audit().verify("acme").records();
        List<Map<String, Object>> cars = new ArrayList<>();
        IntStream.range(0, 25).forEach(i -> cars.add(car("fleet-" + i, "fleet-dev-" + i)));
        cars.add(car(null, "fleet-dev-generated"));

        JsonNode body = expect(201, app.http.postJson("/t/acme/cars/batch", operator, Map.of("cars", cars))).json();

        JsonNode registered = body.get("cars");
        assertThat(registered).hasSize(26);
        assertThat(registered.get(0).get("id").asText()).isEqualTo("fleet-0");
        assertThat(registered.get(24).get("deviceId").asText()).isEqualTo("fleet-dev-24");
        String generated = registered.get(25).get("id").asText();
        assertThat(generated).startsWith("car-");
        assertThat(carIds()).contains("fleet-0", "fleet-24", generated);
        JsonNode one = expect(200, app.http.get("/t/acme/cars/fleet-7", operator)).json();
        assertThat(one.get("deviceId").asText()).isEqualTo("fleet-dev-7");
        assertThat(one.get("plate").asText()).isEqualTo("B-fleet-dev-7");

        ChainVerification chain = audit().verify("acme");
        assertThat(chain.isIntact()).isTrue();
        assertThat(chain.records()).isEqualTo(auditBefore + 26);
        List<AuditRecord> recent = audit().recent("acme", 26);
        assertThat(recent).extracting(AuditRecord::action).containsOnly("car.create");
        assertThat(recent).extracting(AuditRecord::subject).contains("car/fleet-0", "car/fleet-24", "car/" + generated);
        assertThat(recent).extracting(AuditRecord::actor).containsOnly(recent.get(0).actor()).doesNotContainNull();
    }

    @Test
    void aBadEntry_isNamed_andNothingIsRegistered() {
        List<Map<String, Object>> cars = new ArrayList<>(List.of(car("bad-0", "bad-dev-0"), car("bad-1", "bad-dev-1")));
        Map<String, Object> noPlate = car("bad-2", "bad-dev-2");
        noPlate.remove("plate");
        cars.add(noPlate);
        long auditBefore = audit().verify("acme").records();

        var reply = expect(400, app.http.postJson("/t/acme/cars/batch", operator, Map.of("cars", cars)));

        assertThat(reply.body()).contains("cars[2].plate");
        assertThat(carIds()).doesNotContain("bad-0", "bad-1", "bad-2");
        assertThat(audit().verify("acme").records()).isEqualTo(auditBefore);
        // the devices stay free: the same list, corrected, registers
        noPlate.put("plate", "B-2");
        expect(201, app.http.postJson("/t/acme/cars/batch", operator, Map.of("cars", cars)));
        assertThat(carIds()).contains("bad-0", "bad-1", "bad-2");
    }

    @Test
    void twiceTheSameDevice_anEmptyList_orTooMany_are400() {
        var twice = expect(400, app.http.postJson("/t/acme/cars/batch", operator,
                Map.of("cars", List.of(car("dup-0", "dup-dev"), car("dup-1", "dup-dev")))));
        assertThat(twice.body()).contains("cars[1].deviceId");
        expect(400, app.http.postJson("/t/acme/cars/batch", operator, Map.of("cars", List.of())));
        expect(400, app.http.postJson("/t/acme/cars/batch", operator, Map.of()));
        List<Map<String, Object>> tooMany = new ArrayList<>();
        IntStream.range(0, 1001).forEach(i -> tooMany.add(car("many-" + i, "many-dev-" + i)));
        expect(400, app.http.postJson("/t/acme/cars/batch", operator, Map.of("cars", tooMany)));
        assertThat(carIds()).doesNotContain("dup-0", "dup-1", "many-0");
    }

    @Test
    void aTakenDevice_is409_andNothingIsRegistered() {
        expect(201, app.http.postJson("/t/acme/cars/batch", operator, Map.of("cars", List.of(car("taken-0", "taken-dev")))));
        long auditBefore = audit().verify("acme").records();

        var reply = expect(409, app.http.postJson("/t/acme/cars/batch", operator,
                Map.of("cars", List.of(car("free-0", "free-dev-0"), car("free-1", "taken-dev")))));

        assertThat(reply.body()).contains("taken-dev");
        assertThat(carIds()).doesNotContain("free-0", "free-1");
        assertThat(audit().verify("acme").records()).isEqualTo(auditBefore);
        expect(201, app.http.postJson("/t/acme/cars/batch", operator, Map.of("cars", List.of(car("free-0", "free-dev-0")))));
    }

    @Test
    void aBorrower_is403_andAnotherTenantsToken_is401() {
        expect(403, app.http.postJson("/t/acme/cars/batch", borrower, Map.of("cars", List.of(car("b-0", "b-dev-0")))));
        int status = app.http.postJson("/t/acme/cars/batch", globexAdmin, Map.of("cars", List.of(car("g-0", "g-dev-0")))).status();
        assertThat(status).isIn(401, 403);
        assertThat(carIds()).doesNotContain("b-0", "g-0");
    }
}
