package io.latchkey.cloud.it;

import static io.latchkey.cloud.it.CloudApp.expect;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.latchkey.protocol.command.CommandRejectedException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/** A car that does not answer: 504 within the configured bound, and the command it holds has expired. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CommandTimeoutIT {
    @TempDir
    static Path dataDir;
    CloudApp app;
    TestDevice device;
    String operator;

    @BeforeAll
    void start() throws Exception {
        app = CloudApp.start(dataDir, Map.of("latchkey.commands.timeout", "1s"));
        String tenantAdmin = app.tenantWithAdmin("acme");
        operator = app.user("acme", tenantAdmin, "olga@acme.test", "operator");
        app.car("acme", operator, "car-1", "dev-001");
        JsonNode discovery = expect(200, app.http.get("/t/acme/.well-known/latchkey-device", null)).json();
        device = new TestDevice(app, "acme", "dev-001", TestDevice.keys(discovery), Clock.systemUTC()).silent();
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
    void unlock_toASilentCar_times504_withinTheBound_andTheCommandHasExpired() {
        long started = System.nanoTime();
        Http.Reply reply = app.http.postJson("/t/acme/cars/car-1/commands", operator, Map.of("type", "UNLOCK", "id", "late-1"));
        long tookMs = (System.nanoTime() - started) / 1_000_000;

        RefusalsIT.assertProblem(reply, 504, "did not answer within 1000 ms");
        assertThat(tookMs).isBetween(900L, 3000L);
        assertThat(device.receivedCommands()).hasSize(1);
        byte[] delivered = device.receivedCommands().get(0);
        assertThatThrownBy(() -> device.verifier().verify(delivered))
                .isInstanceOfSatisfying(CommandRejectedException.class,
                        e -> assertThat(e.reason()).isEqualTo(CommandRejectedException.Reason.EXPIRED));
    }

    @Test
    void aTimedOutCommand_isLoggedAsSlow_withWhereItsTimeWent() throws Exception {
        PiiShreddingIT.LogCapture log = PiiShreddingIT.LogCapture.attach();
        try {
            RefusalsIT.assertProblem(app.http.postJson("/t/acme/cars/car-1/commands", operator,
                    Map.of("type", "UNLOCK", "id", "slow-1")), 504, "slow-1");
            // the line is written as the caller's answer completes: wait for it rather than race it
            long deadline = System.nanoTime() + 5_000_000_000L;
            while (!log.text().contains("slow command slow-1") && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
        } finally {
            log.stop();
        }
        // slow-after defaults to 1 s; the car never answered (car -), the request's arrival was noted (caller n ms)
        assertThat(log.text()).containsPattern("slow command slow-1 \\(UNLOCK\\) to car car-1 of tenant acme: [0-9.]+ ms "
                + "\\(CommandTimeoutException\\): caller [0-9.]+ ms, checks [0-9.]+ ms, record [0-9.]+ ms, "
                + "publish [0-9.]+ ms, car -, answer -");
    }

    @Test
    void retry_afterTimeout_sendsTheSameIdAgain_withAFreshLifetime() {
        RefusalsIT.assertProblem(app.http.postJson("/t/acme/cars/car-1/commands", operator,
                Map.of("type", "LOCK", "id", "again-1")), 504, "again-1");
        int before = device.receivedCommands().size();
        RefusalsIT.assertProblem(app.http.postJson("/t/acme/cars/car-1/commands", operator,
                Map.of("type", "LOCK", "id", "again-1")), 504, "again-1");
        assertThat(device.receivedCommands()).hasSize(before + 1);
    }
}
