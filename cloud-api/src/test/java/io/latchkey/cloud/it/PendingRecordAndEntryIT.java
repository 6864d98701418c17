package io.latchkey.cloud.it;

import static io.latchkey.cloud.it.CloudApp.expect;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.latchkey.cloud.command.OrphanedCommands;
import io.latchkey.cloud.store.Stores;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * On a shared store (replicas) a command's tracking entry ({@link OrphanedCommands}) and its {@code PENDING} record
 * are written together, one store round trip before the publish instead of two, and the car gets the command only
 * once both are stored; an entry the store refuses fails the call (503) with nothing sent and the record concluded
 * {@code NOT_SENT}, and a retry of the id then sends it.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PendingRecordAndEntryIT {
    @TempDir
    static Path dataDir;
    CloudApp app;
    TestDevice device;
    String operator;
    HeldCommandRecords held;

    @BeforeAll
    void start() throws Exception {
        app = CloudApp.start(dataDir, Map.of(HeldCommandRecords.ENABLED, "true", HeldCommandRecords.SHARED, "true",
                "latchkey.commands.timeout", "5s"));
        held = app.context().getBean(HeldCommandRecords.class);
        String tenantAdmin = app.tenantWithAdmin("acme");
        operator = app.user("acme", tenantAdmin, "olga@acme.test", "operator");
        app.car("acme", operator, "car-1", "dev-001");
        JsonNode discovery = expect(200, app.http.get("/t/acme/.well-known/latchkey-device", null)).json();
        device = new TestDevice(app, "acme", "dev-001", TestDevice.keys(discovery), Clock.systemUTC());
    }

    @AfterAll
    void stop() throws Exception {
        if (held != null) {
            held.releaseReads();
            held.failEntries(false);
            held.releaseEntries();
        }
        if (device != null) {
            device.close();
        }
        if (app != null) {
            app.close();
        }
    }

    /**
     * The caller's session (account and security record) and the command's checks (the car, its bookings, its state)
     * are read side by side ({@code CommandReadAhead}): one round trip instead of two one after the other. Nothing is
     * decided on the checks before the session is admitted: the call waits for it.
     */
    @Test
    void theCarIsReadWhileTheCallersSessionIs_andTheCommandWaitsForTheSession() throws Exception {
        long carReads = held.readsOf("cars");
        long stateReads = held.readsOf("car-states");
        int received = device.receivedCommands().size();
        CompletableFuture<Http.Reply> call;
        held.holdReadsOf("account-security", null);
        try {
            call = CompletableFuture.supplyAsync(() -> app.http.postJson("/t/acme/cars/car-1/commands", operator,
                    Map.of("type", "UNLOCK", "id", "ahead-1")));
            await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(held.readsWaiting())
                    .as("the caller's security record, being read").isEqualTo(1));
            await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
                assertThat(held.readsOf("cars")).as("the car, read while the session is").isGreaterThan(carReads);
                assertThat(held.readsOf("car-states")).as("and its state").isGreaterThan(stateReads);
            });
            Thread.sleep(300);
            assertThat(call).as("no decision before the session is admitted").isNotDone();
            assertThat(device.receivedCommands()).hasSize(received);
        } finally {
            held.releaseReads();
        }
        assertThat(call.get(10, TimeUnit.SECONDS).status()).isEqualTo(200);
        assertThat(held.readsOf("cars")).as("the car was read once, ahead").isEqualTo(carReads + 1);
    }

    @Test
    void theStoreSaysItIsShared() {
        assertThat(app.context().getBean(Stores.class).writtenByThisProcessOnly()).isFalse();
    }

    @Test
    void theRecordIsWrittenWhileTheEntryIs_andTheCarGetsTheCommandOnlyOnceBothAreStored() throws Exception {
        int received = device.receivedCommands().size();
        held.holdEntries();
        CompletableFuture<Http.Reply> call;
        try {
            call = CompletableFuture.supplyAsync(() -> app.http.postJson("/t/acme/cars/car-1/commands", operator,
                    Map.of("type", "UNLOCK", "id", "together-1")));
            await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(held.entriesWaiting()).isEqualTo(1));
            await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(commandRecord("together-1"))
                    .as("the PENDING record, written while the entry's write is held").contains("\"status\":\"PENDING\""));
            Thread.sleep(300);
            assertThat(device.receivedCommands()).as("not published before the entry is stored").hasSize(received);
            assertThat(call).isNotDone();
        } finally {
            held.releaseEntries();
        }
        JsonNode answer = expect(200, call.get()).json();
        assertThat(answer.path("outcome").asText()).isEqualTo("EXECUTED");
        assertThat(device.receivedCommands()).hasSize(received + 1);
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            assertThat(commandRecord("together-1")).contains("\"status\":\"EXECUTED\"");
            assertThat(entries("together-1")).as("concluded: its entry deleted").isZero();
        });
    }

    @Test
    void anEntryTheStoreRefuses_fails503_sendsNothing_concludesTheRecordNotSent_andARetrySends() throws Exception {
        int received = device.receivedCommands().size();
        held.failEntries(true);
        try {
            Http.Reply refused = app.http.postJson("/t/acme/cars/car-1/commands", operator,
                    Map.of("type", "UNLOCK", "id", "refused-1"));
            assertThat(refused.status()).as(refused.body()).isEqualTo(503);
        } finally {
            held.failEntries(false);
        }
        assertThat(commandRecord("refused-1")).contains("\"status\":\"NOT_SENT\"");
        Thread.sleep(300);
        assertThat(device.receivedCommands()).as("nothing sent").hasSize(received);

        JsonNode retried = expect(200, app.http.postJson("/t/acme/cars/car-1/commands", operator,
                Map.of("type", "UNLOCK", "id", "refused-1"))).json();
        assertThat(retried.path("outcome").asText()).isEqualTo("EXECUTED");
        assertThat(device.receivedCommands()).hasSize(received + 1);
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertThat(commandRecord("refused-1")).contains("\"status\":\"EXECUTED\""));
    }

    private String commandRecord(String id) throws Exception {
        return HeldCommandRecords.commandRecord(dataDir, id);
    }

    private long entries(String id) {
        return app.context().getBean(Stores.class).tenant("acme").list(OrphanedCommands.INDEX).stream()
                .filter(n -> n.startsWith(id + ".")).count();
    }
}
