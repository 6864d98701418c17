package io.latchkey.cloud.command;

import static io.latchkey.cloud.it.CloudApp.expect;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.latchkey.cloud.it.CloudApp;
import io.latchkey.cloud.it.Http;
import io.latchkey.cloud.it.TestDevice;
import io.latchkey.protocol.command.Command;
import io.latchkey.protocol.command.CommandType;
import io.latchkey.protocol.command.HomeZone;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The commands the car checks before it obeys: IMMOBILISE and MOBILISE through the command route (operators
 * and tenant admins only, the car's reason in the answer), and END_RENTAL through
 * {@link CommandService#endRental} with its zone signed into the command and the car's failed checks back.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CarChecksCommandIT {
    @TempDir
    static Path dataDir;
    CloudApp app;
    TestDevice device;
    String tenantAdmin;
    String operator;
    String borrower;

    @BeforeAll
    void start() throws Exception {
        app = CloudApp.start(dataDir, Map.of());
        tenantAdmin = app.tenantWithAdmin("acme");
        operator = app.user("acme", tenantAdmin, "olga@acme.test", "operator");
        borrower = app.user("acme", tenantAdmin, "bob@acme.test", "borrower");
        app.car("acme", operator, "car-1", "dev-001");
        JsonNode discovery = expect(200, app.http.get("/t/acme/.well-known/latchkey-device", null)).json();
        device = new TestDevice(app, "acme", "dev-001", TestDevice.keys(discovery), Clock.systemUTC());
        Instant now = Instant.now();
        expect(201, app.http.postJson("/t/acme/bookings", borrower, Map.of("carId", "car-1",
                "start", now.minusSeconds(60).toString(), "end", now.plus(Duration.ofHours(1)).toString())));
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

    private Command lastCommand() {
        List<byte[]> received = device.receivedCommands();
        return device.verifier().verify(received.get(received.size() - 1));
    }

    @Test
    void immobilise_byABorrowerWithABooking_is403_auditedAsRefused_andNeverSent() {
        int sent = device.receivedCommands().size();

        for (String type : List.of("IMMOBILISE", "MOBILISE")) {
            Http.Reply reply = app.http.postJson("/t/acme/cars/car-1/commands", borrower, Map.of("type", type));
            assertThat(reply.status()).as(reply.body()).isEqualTo(403);
            assertThat(reply.json().path("detail").asText()).contains("operators and tenant admins");
        }

        assertThat(device.receivedCommands()).hasSize(sent);
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(audit())
                .contains("car.immobilise REFUSED", "car.mobilise REFUSED"));
    }

    @Test
    void immobilise_refusedByTheCar_is409_withTheCarsReason() {
        device.failChecks("MOVING");
        try {
            Http.Reply reply = app.http.postJson("/t/acme/cars/car-1/commands", operator, Map.of("type", "IMMOBILISE"));
            assertThat(reply.status()).as(reply.body()).isEqualTo(409);
            assertThat(reply.text("outcome")).isEqualTo("REJECTED");
            assertThat(reply.text("reason")).isEqualTo("MOVING");
            assertThat(reply.json().path("failed").get(0).asText()).isEqualTo("MOVING");
            assertThat(lastCommand().type()).isEqualTo(CommandType.IMMOBILISE);
        } finally {
            device.failChecks();
        }
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(audit()).contains("car.immobilise REJECTED"));
    }

    @Test
    void immobilise_andMobilise_byOperatorAndTenantAdmin_areExecuted() {
        Http.Reply immobilised = app.http.postJson("/t/acme/cars/car-1/commands", operator, Map.of("type", "IMMOBILISE"));
        assertThat(immobilised.status()).as(immobilised.body()).isEqualTo(200);
        assertThat(immobilised.text("type")).isEqualTo("IMMOBILISE");
        assertThat(immobilised.json().has("failed")).as("no checks failed: no list").isFalse();

        Http.Reply mobilised = app.http.postJson("/t/acme/cars/car-1/commands", tenantAdmin, Map.of("type", "MOBILISE"));
        assertThat(mobilised.status()).as(mobilised.body()).isEqualTo(200);
        assertThat(lastCommand().type()).isEqualTo(CommandType.MOBILISE);
    }

    @Test
    void endRental_sendsItsZoneSigned_returnsEveryFailedCheck_thenLocksOnceFixed() throws Exception {
        CommandService commands = app.context().getBean(CommandService.class);
        HomeZone zone = new HomeZone(52.52, 13.405, 150);
        device.failChecks("DOOR_OPEN: rear left", "KEY_NOT_IN_HOLDER");

        CommandResult refused = commands.endRental("acme", "car-1", "user-x", zone).get(10, TimeUnit.SECONDS);

        assertThat(refused.type()).isEqualTo(CommandType.END_RENTAL);
        assertThat(refused.outcome()).isEqualTo("REJECTED");
        assertThat(refused.reason()).isEqualTo("RETURN_CHECKS_FAILED");
        assertThat(refused.failed()).containsExactly("DOOR_OPEN: rear left", "KEY_NOT_IN_HOLDER");
        Command delivered = lastCommand();
        assertThat(delivered.type()).isEqualTo(CommandType.END_RENTAL);
        assertThat(delivered.zone()).isEqualTo(zone);
        assertThat(delivered.actor()).isEqualTo("user-x");

        device.failChecks();
        CommandResult ended = commands.endRental("acme", "car-1", "user-x", null).get(10, TimeUnit.SECONDS);

        assertThat(ended.outcome()).isEqualTo("EXECUTED");
        assertThat(ended.lockState()).isEqualTo(io.latchkey.protocol.LockState.LOCKED);
        assertThat(ended.failed()).isNull();
        assertThat(ended.commandId()).isNotEqualTo(refused.commandId());
        assertThat(lastCommand().zone()).isNull();
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(audit())
                .contains("car.end_rental REJECTED", "car.end_rental EXECUTED"));
    }

    private List<String> audit() {
        JsonNode trail = expect(200, app.http.get("/t/acme/audit?limit=1000", tenantAdmin)).json();
        List<String> seen = new ArrayList<>();
        trail.forEach(r -> seen.add(r.path("action").asText() + " " + r.path("outcome").asText()));
        return seen;
    }
}
