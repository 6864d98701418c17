package io.latchkey.cloud.it;

import static io.latchkey.cloud.it.CloudApp.expect;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.latchkey.cloud.store.Stores;
import io.latchkey.protocol.LockState;
import io.latchkey.protocol.command.CommandAck;
import io.latchkey.protocol.command.CommandOutcome;
import java.nio.charset.StandardCharsets;
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
 * The unlock does not wait for the disk: with the file store (one process per data directory), the command's
 * {@code PENDING} record is written while the command travels, and the caller has the car's answer even while
 * that write stalls. What the record guaranteed still holds: a retried id joins the first call (the car gets the
 * command once), an id used for another command is 409, the record ends with the outcome, and an answer of the
 * car to a command the backend has no record of (the backend died between publishing and writing) is logged and
 * audited. Nor does the car's answer wait at the broker behind telemetry whose storing stalls (the backend
 * acknowledges telemetry only once stored, and a broker may deliver nothing new to a connection until its messages
 * in flight are acknowledged: answers come on a connection of their own, {@code CommandMqttClient}).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CommandRecordOffThePathIT {
    @TempDir
    static Path dataDir;
    CloudApp app;
    TestDevice device;
    String operator;
    String tenantAdmin;
    HeldCommandRecords held;
    HeldTelemetry heldTelemetry;

    @BeforeAll
    void start() throws Exception {
        app = CloudApp.start(dataDir, Map.of(HeldCommandRecords.ENABLED, "true", HeldTelemetry.ENABLED, "true",
                "latchkey.commands.timeout", "5s"));
        held = app.context().getBean(HeldCommandRecords.class);
        heldTelemetry = app.context().getBean(HeldTelemetry.class);
        tenantAdmin = app.tenantWithAdmin("acme");
        operator = app.user("acme", tenantAdmin, "olga@acme.test", "operator");
        app.car("acme", operator, "car-1", "dev-001");
        JsonNode discovery = expect(200, app.http.get("/t/acme/.well-known/latchkey-device", null)).json();
        device = new TestDevice(app, "acme", "dev-001", TestDevice.keys(discovery), Clock.systemUTC());
    }

    @AfterAll
    void stop() throws Exception {
        if (held != null) {
            held.release();
            held.releaseReads();
        }
        if (heldTelemetry != null) {
            heldTelemetry.release();
        }
        if (device != null) {
            device.close();
        }
        if (app != null) {
            app.close();
        }
    }

    @Test
    void theFileStore_isWrittenByThisProcessOnly() {
        assertThat(app.context().getBean(Stores.class).writtenByThisProcessOnly()).isTrue();
    }

    @Test
    void theCarsAnswer_doesNotWaitForThePendingRecord_andARetryJoinsTheFirstCall() {
        held.hold();
        try {
            JsonNode first = expect(200, app.http.postJson("/t/acme/cars/car-1/commands", operator,
                    Map.of("type", "UNLOCK", "id", "held-1"))).json();
            assertThat(first.path("outcome").asText()).isEqualTo("EXECUTED");
            await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(held.waiting())
                    .as("the PENDING record's write, held since before the caller had the answer").isEqualTo(1));
            assertThat(dataDir.resolve("tenants/acme/docs/commands/held-1.json")).doesNotExist();
            int received = device.receivedCommands().size();

            JsonNode retried = expect(200, app.http.postJson("/t/acme/cars/car-1/commands", operator,
                    Map.of("type", "UNLOCK", "id", "held-1"))).json();
            assertThat(retried.path("commandId").asText()).isEqualTo("held-1");
            assertThat(retried.path("outcome").asText()).isEqualTo("EXECUTED");
            assertThat(device.receivedCommands()).as("a retry while the first is being recorded is not sent again")
                    .hasSize(received);
            RefusalsIT.assertProblem(app.http.postJson("/t/acme/cars/car-1/commands", operator,
                    Map.of("type", "LOCK", "id", "held-1")), 409, "already used for another command");
        } finally {
            held.release();
        }
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertThat(commandRecord("held-1")).contains("\"status\":\"EXECUTED\""));
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertThat(auditOutcomes("command/held-1")).containsExactly("EXECUTED"));
        JsonNode again = expect(200, app.http.postJson("/t/acme/cars/car-1/commands", operator,
                Map.of("type", "UNLOCK", "id", "held-1"))).json();
        assertThat(again.path("outcome").asText()).isEqualTo("EXECUTED");
    }

    @Test
    void theCarsAnswer_doesNotWaitAtTheBroker_behindTelemetryNotYetStored() throws Exception {
        heldTelemetry.hold();
        try {
            device.publishTelemetry(new io.latchkey.protocol.telemetry.TelemetryRecord(1, Instant.now(), 52.5, 13.4, 0.0,
                    1000.0, LockState.LOCKED, false, false, 3, Map.of(), "PERIODIC"));
            await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(heldTelemetry.waiting())
                    .as("the telemetry, being stored and not acknowledged to the broker").isEqualTo(1));
            JsonNode answer = expect(200, app.http.postJson("/t/acme/cars/car-1/commands", operator,
                    Map.of("type", "UNLOCK", "id", "beside-telemetry-1"))).json();
            assertThat(answer.path("outcome").asText()).isEqualTo("EXECUTED");
            assertThat(heldTelemetry.waiting()).as("answered while the telemetry was still in flight").isEqualTo(1);
        } finally {
            heldTelemetry.release();
        }
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(heldTelemetry.waiting()).isZero());
    }

    @Test
    void anAnswerToACommandWithoutARecord_isLoggedAndAudited_aRefusalIsNot() throws Exception {
        device.publishAck(new CommandAck("ghost-1", null, "dev-001", CommandOutcome.EXECUTED, null, LockState.UNLOCKED,
                false, false, Instant.now()));
        device.publishAck(new CommandAck("ghost-2", null, "dev-001", CommandOutcome.REJECTED, "EXPIRED", LockState.LOCKED,
                false, false, Instant.now()));
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertThat(auditOutcomes("command/ghost-1")).containsExactly("ANSWERED_WITHOUT_RECORD_EXECUTED"));
        assertThat(commandLog()).anySatisfy(line -> assertThat(line).contains("\"id\":\"ghost-1\"").contains("\"carId\":\"car-1\""));
        assertThat(auditOutcomes("command/ghost-2")).isEmpty();
        assertThat(commandLog()).noneSatisfy(line -> assertThat(line).contains("ghost-2"));
        assertThat(dataDir.resolve("tenants/acme/docs/commands/ghost-1.json")).doesNotExist();
    }

    /**
     * Every replica receives every answer, and one it does not wait for needs the store (the command's record, to
     * record a late answer). With several replicas that is half the answers; such a read must not hold up the answer
     * a caller is waiting for (it did: all answers were handled on one thread, in order).
     */
    @Test
    void theCarsAnswer_doesNotWaitBehindALateAnswersStoreRead() throws Exception {
        held.holdReadsOf("commands", "ghost-late-1");
        try {
            device.publishAck(new CommandAck("ghost-late-1", null, "dev-001", CommandOutcome.EXECUTED, null,
                    LockState.UNLOCKED, false, false, Instant.now()));
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(held.readsWaiting())
                    .as("the late answer's read of its command record, held").isEqualTo(1));
            JsonNode answer = expect(200, app.http.postJson("/t/acme/cars/car-1/commands", operator,
                    Map.of("type", "UNLOCK", "id", "beside-late-1"))).json();
            assertThat(answer.path("outcome").asText()).isEqualTo("EXECUTED");
            assertThat(held.readsWaiting()).as("answered while the late answer's read was still held").isEqualTo(1);
        } finally {
            held.releaseReads();
        }
        // the late answer is still handled once its read returns
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertThat(auditOutcomes("command/ghost-late-1")).containsExactly("ANSWERED_WITHOUT_RECORD_EXECUTED"));
    }

    private String commandRecord(String id) throws Exception {
        return HeldCommandRecords.commandRecord(dataDir, id);
    }

    private List<String> commandLog() {
        List<String> lines = new ArrayList<>();
        app.context().getBean(Stores.class).tenant("acme").forEach("command-log",
                line -> lines.add(new String(line, StandardCharsets.UTF_8)));
        return lines;
    }

    private List<String> auditOutcomes(String subjectPart) {
        List<String> outcomes = new ArrayList<>();
        for (JsonNode r : expect(200, app.http.get("/t/acme/audit?limit=1000", tenantAdmin)).json()) {
            if (r.path("subject").asText().contains(subjectPart)) {
                outcomes.add(r.path("outcome").asText());
            }
        }
        return outcomes;
    }
}
