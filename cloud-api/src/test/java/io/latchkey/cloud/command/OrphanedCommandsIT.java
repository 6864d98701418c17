package io.latchkey.cloud.command;

import static io.latchkey.cloud.it.CloudApp.expect;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.latchkey.cloud.it.CloudApp;
import io.latchkey.cloud.store.JsonCollection;
import io.latchkey.cloud.store.Stores;
import io.latchkey.cloud.store.TenantStore;
import io.latchkey.protocol.LockState;
import io.latchkey.protocol.command.Command;
import io.latchkey.protocol.command.CommandAck;
import io.latchkey.protocol.command.CommandOutcome;
import io.latchkey.protocol.command.CommandType;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * A command left {@code PENDING} by a replica that went away (its record and tracking entry written as
 * {@link CommandService} writes them, then nothing): after its lifetime plus {@code latchkey.commands.orphan-after}
 * any replica's sweep concludes it once, with the car's answer if one was seen, else {@code TIMED_OUT}; audited as
 * {@code ORPHANED_...}; a later answer of the car is still recorded; a command concluded normally leaves no entry.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OrphanedCommandsIT {
    @TempDir
    static Path dataDir;
    CloudApp app;
    String tenantAdmin;
    String operator;
    OrphanedCommands orphans;
    CommandService commands;
    TenantStore store;

    @BeforeAll
    void start() {
        app = CloudApp.start(dataDir, Map.of("latchkey.commands.timeout", "1s", "latchkey.commands.orphan-after", "5s",
                "latchkey.commands.sweep-interval", "1h"));
        tenantAdmin = app.tenantWithAdmin("acme");
        operator = app.user("acme", tenantAdmin, "olga@acme.test", "operator");
        app.car("acme", operator, "car-1", "dev-001");
        orphans = app.context().getBean(OrphanedCommands.class);
        commands = app.context().getBean(CommandService.class);
        store = app.context().getBean(Stores.class).tenant("acme");
    }

    @AfterAll
    void stop() {
        if (app != null) {
            app.close();
        }
    }

    @Test
    void aCommandConcludedByItsReplica_leavesNothingToSweep() {
        // no car connected: the replica waits its lifetime and concludes TIMED_OUT itself
        expect(504, app.http.postJson("/t/acme/cars/car-1/commands", operator, Map.of("type", "LOCK", "id", "normal-1")));
        await().atMost(Duration.ofSeconds(10)).until(() -> status("normal-1") == CommandStatus.TIMED_OUT
                && store.list(OrphanedCommands.INDEX).stream().noneMatch(n -> n.startsWith("normal-1.")));
        app.clock().advance(Duration.ofMinutes(5));
        try {
            assertThat(orphans.sweep()).isZero();
            assertThat(audit("command/normal-1")).containsExactly("TIMED_OUT");
        } finally {
            app.clock().reset();
        }
    }

    @Test
    void aCommandLeftPending_isConcludedTimedOutAfterItsLifetime_once_andALateAnswerIsStillRecorded() {
        CommandRecord left = leftPending("orphan-1");
        assertThat(orphans.sweep()).as("within its lifetime plus the margin").isZero();
        assertThat(status("orphan-1")).isEqualTo(CommandStatus.PENDING);

        app.clock().advance(Duration.ofSeconds(7));
        try {
            // two replicas sweeping at once: the conditional write lets one conclude it
            List<CompletableFuture<Integer>> sweeps = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                sweeps.add(CompletableFuture.supplyAsync(orphans::sweep));
            }
            assertThat(sweeps.stream().mapToInt(CompletableFuture::join).sum()).isEqualTo(1);
            assertThat(orphans.sweep()).isZero();
            assertThat(status("orphan-1")).isEqualTo(CommandStatus.TIMED_OUT);
            assertThat(store.list(OrphanedCommands.INDEX)).noneMatch(n -> n.startsWith("orphan-1."));
            assertThat(audit("command/orphan-1")).containsExactly("ORPHANED_TIMED_OUT");

            // the car's answer arrives after all (its copy was carried out before the replica died)
            commands.recordLateAnswer("acme", "dev-001", ack(left, CommandOutcome.EXECUTED), app.clock().instant());
            assertThat(status("orphan-1")).isEqualTo(CommandStatus.EXECUTED);
            assertThat(audit("command/orphan-1")).containsExactly("ORPHANED_TIMED_OUT", "LATE_EXECUTED");
        } finally {
            app.clock().reset();
        }
    }

    @Test
    void anAnswerSeenWhileNobodyHereWaited_concludesTheOrphanWithTheCarsOutcome() {
        CommandRecord left = leftPending("orphan-2");
        // the answer reaches this replica, which did not send the command: kept until the sweep can tell
        commands.recordLateAnswer("acme", "dev-001", ack(left, CommandOutcome.EXECUTED), app.clock().instant());
        assertThat(status("orphan-2")).as("its sender may still record it").isEqualTo(CommandStatus.PENDING);
        // an answer from another device concludes nothing
        commands.recordLateAnswer("acme", "dev-999", ack(left, CommandOutcome.FAILED), app.clock().instant());

        app.clock().advance(Duration.ofSeconds(7));
        try {
            assertThat(orphans.sweep()).isEqualTo(1);
            JsonCollection<CommandRecord> records = new JsonCollection<>(store, "commands", CommandRecord.class);
            CommandRecord done = records.get("orphan-2").orElseThrow();
            assertThat(done.status()).isEqualTo(CommandStatus.EXECUTED);
            assertThat(done.lockState()).isEqualTo(LockState.UNLOCKED);
            assertThat(audit("command/orphan-2")).containsExactly("ORPHANED_EXECUTED");
        } finally {
            app.clock().reset();
        }
    }

    @Test
    void anAnswerSeenHere_isRecordedLate_whenAnotherReplicasSweepConcludedTheCommandWithoutIt() {
        CommandRecord left = leftPending("orphan-3");
        commands.recordLateAnswer("acme", "dev-001", ack(left, CommandOutcome.EXECUTED), app.clock().instant());
        // another replica, which had not seen the answer, concluded it first
        app.clock().advance(Duration.ofSeconds(7));
        try {
            JsonCollection<CommandRecord> records = new JsonCollection<>(store, "commands", CommandRecord.class);
            records.replace("orphan-3", left.withStatus(CommandStatus.TIMED_OUT, app.clock().instant()),
                    records.find("orphan-3").orElseThrow().version());
            orphans.untrack("acme", left);

            assertThat(orphans.sweep()).isZero();
            assertThat(status("orphan-3")).isEqualTo(CommandStatus.EXECUTED);
            assertThat(audit("command/orphan-3")).containsExactly("LATE_EXECUTED");
        } finally {
            app.clock().reset();
        }
    }

    /** What a replica killed after publishing leaves: the tracking entry and the PENDING record. */
    private CommandRecord leftPending(String id) {
        Instant issued = app.clock().instant();
        CommandRecord record = CommandRecord.pending(new Command(id, "acme", "dev-001", CommandType.UNLOCK, issued,
                issued.plusSeconds(1), "olga", null), "car-1");
        orphans.track("acme", record);
        new JsonCollection<>(store, "commands", CommandRecord.class).create(id, record);
        return record;
    }

    private static CommandAck ack(CommandRecord record, CommandOutcome outcome) {
        return new CommandAck(record.id(), "acme", record.deviceId(), outcome, null, LockState.UNLOCKED, false, false,
                record.issuedAt(), null);
    }

    private CommandStatus status(String id) {
        return new JsonCollection<>(store, "commands", CommandRecord.class).get(id).map(CommandRecord::status).orElse(null);
    }

    private List<String> audit(String subjectPart) {
        List<String> outcomes = new ArrayList<>();
        for (JsonNode r : expect(200, app.http.get("/t/acme/audit?limit=1000", tenantAdmin)).json()) {
            if (r.path("subject").asText().contains(subjectPart)) {
                outcomes.add(r.path("outcome").asText());
            }
        }
        return outcomes;
    }
}
