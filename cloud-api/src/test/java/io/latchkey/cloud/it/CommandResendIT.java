package io.latchkey.cloud.it;

import static io.latchkey.cloud.it.CloudApp.expect;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.latchkey.cloud.command.CommandService;
import io.latchkey.protocol.command.Command;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * A command with no answer yet is sent again (docs/protocol.md): a lost answer (a broker's session lost) costs a resend of the same signed
 * command, which the car answers from its first result, so it never acts twice; a car that never answers gets a
 * bounded number of copies, all within the command's lifetime.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CommandResendIT {
    @TempDir
    static Path dataDir;
    CloudApp app;
    String operator;
    Map<String, java.security.PublicKey> keys;

    @BeforeAll
    void start() throws Exception {
        app = CloudApp.start(dataDir, Map.of("latchkey.commands.timeout", "2s", "latchkey.commands.resend", "300ms"));
        String tenantAdmin = app.tenantWithAdmin("acme");
        operator = app.user("acme", tenantAdmin, "olga@acme.test", "operator");
        app.car("acme", operator, "car-1", "dev-001");
        app.car("acme", operator, "car-2", "dev-002");
        app.car("acme", operator, "car-3", "dev-003");
        JsonNode discovery = expect(200, app.http.get("/t/acme/.well-known/latchkey-device", null)).json();
        keys = TestDevice.keys(discovery);
    }

    @AfterAll
    void stop() throws Exception {
        if (app != null) {
            app.close();
        }
    }

    @Test
    void aLostAnswer_isRecoveredByAResend_andTheCarActsOnce() throws Exception {
        try (TestDevice car = new TestDevice(app, "acme", "dev-001", keys, Clock.systemUTC()).losesAnswers(1)) {
            long resendsBefore = app.context().getBean(CommandService.class).resends();
            long started = System.nanoTime();
            JsonNode result = expect(200, app.http.postJson("/t/acme/cars/car-1/commands", operator,
                    Map.of("type", "UNLOCK", "id", "lost-answer-1"))).json();
            long tookMs = (System.nanoTime() - started) / 1_000_000;

            assertThat(result.path("outcome").asText()).isEqualTo("EXECUTED");
            assertThat(result.path("lockState").asText()).isEqualTo("UNLOCKED");
            assertThat(tookMs).as("answered by the first resend, after 300 ms").isBetween(250L, 1900L);
            assertThat(car.receivedCommands()).as("the same signed command twice").hasSize(2);
            assertThat(car.receivedCommands().get(1)).isEqualTo(car.receivedCommands().get(0));
            assertThat(car.executions()).as("the relay moved once").isEqualTo(1);
            assertThat(app.context().getBean(CommandService.class).resends() - resendsBefore).isEqualTo(1);
        }
    }

    @Test
    void aSilentCar_getsBoundedCopies_allBeforeTheExpiry_thenThe504() throws Exception {
        try (TestDevice car = new TestDevice(app, "acme", "dev-002", keys, Clock.systemUTC()).silent()) {
            RefusalsIT.assertProblem(app.http.postJson("/t/acme/cars/car-2/commands", operator,
                    Map.of("type", "LOCK", "id", "silent-1")), 504, "did not answer within 2000 ms");
            Thread.sleep(500); // nothing is sent after the caller's timeout
            List<byte[]> copies = car.receivedCommands();
            // at 0, 300 and 900 ms; the next (2,100 ms) would leave less than one interval of the 2 s lifetime
            assertThat(copies).hasSize(3);
            Command command = io.latchkey.protocol.Json.read(java.util.Base64.getUrlDecoder().decode(
                    io.latchkey.protocol.Json.read(copies.get(0), io.latchkey.protocol.command.SignedCommand.class).payload()),
                    Command.class);
            assertThat(command.id()).isEqualTo("silent-1");
            for (byte[] copy : copies) {
                assertThat(copy).isEqualTo(copies.get(0));
            }
        }
    }

    /**
     * Commands go at QoS 0 (docs/protocol.md, "Commands at QoS 0"): the broker keeps none for a car that is away, so a
     * car that comes back within the command's lifetime is reached by a later copy, and acts once.
     */
    @Test
    void aCarAwayWhenTheCommandIsSent_isReachedByALaterCopy_whenItComesBackInTime() throws Exception {
        long resendsBefore = app.context().getBean(CommandService.class).resends();
        java.util.concurrent.CompletableFuture<Http.Reply> call = java.util.concurrent.CompletableFuture.supplyAsync(
                () -> app.http.postJson("/t/acme/cars/car-3/commands", operator, Map.of("type", "UNLOCK", "id", "away-1")));
        Thread.sleep(350); // the first copy (at 0 ms) finds no car; copies follow at 300 and 900 ms
        try (TestDevice car = new TestDevice(app, "acme", "dev-003", keys, Clock.systemUTC())) {
            JsonNode result = expect(200, call.get(5, java.util.concurrent.TimeUnit.SECONDS)).json();
            assertThat(result.path("outcome").asText()).isEqualTo("EXECUTED");
            assertThat(app.context().getBean(CommandService.class).resends() - resendsBefore)
                    .as("reached by a copy sent after the first").isGreaterThanOrEqualTo(1);
            assertThat(car.receivedCommands()).as("every copy it got is the same signed command").isNotEmpty()
                    .allSatisfy(c -> assertThat(c).isEqualTo(car.receivedCommands().get(0)));
            assertThat(car.executions()).as("the relay moved once").isEqualTo(1);
        }
    }
}
