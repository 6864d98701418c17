package io.latchkey.simulator.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.latchkey.protocol.Json;
import io.latchkey.protocol.LockState;
import io.latchkey.protocol.command.Command;
import io.latchkey.protocol.command.CommandAck;
import io.latchkey.protocol.command.CommandOutcome;
import io.latchkey.protocol.command.CommandType;
import io.latchkey.protocol.command.SignedCommand;
import io.latchkey.simulator.audit.CarLedger;
import io.latchkey.simulator.fleet.SkewedClock;
import io.latchkey.simulator.people.CommandLog;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class UnlockBreakdownTest {
    private static final Instant T = Instant.parse("2026-11-23T20:00:00Z");

    /** Moved by hand: a fixed instant plus a settable skew. */
    private final SkewedClock clock = new SkewedClock(Clock.fixed(T, ZoneOffset.UTC), Duration.ZERO);
    private final CarLedger ledger = new CarLedger("dev-1", clock);
    private final List<CommandLog.Entry> entries = new ArrayList<>();

    /** A command sent at {@code sentMs}, received by the car at {@code receivedMs}, answered at {@code answeredMs}. */
    private void command(String id, long sentMs, long receivedMs, long answeredMs, long roundTripMs) {
        Command c = new Command(id, "acme", "dev-1", CommandType.UNLOCK, T, T.plusSeconds(10), "op");
        clock.skew(Duration.ofMillis(receivedMs));
        ledger.commandReceived(Json.write(new SignedCommand(
                Base64.getUrlEncoder().withoutPadding().encodeToString(Json.write(c)), "sig", "k1")));
        clock.skew(Duration.ofMillis(answeredMs));
        ledger.answerPublished(Json.write(new io.latchkey.protocol.command.SignedAck(Base64.getUrlEncoder().withoutPadding()
                .encodeToString(Json.write(new CommandAck(id, null, "dev-1", CommandOutcome.EXECUTED, null, LockState.UNLOCKED,
                false, false, clock.instant()))), "sig")));
        entries.add(new CommandLog.Entry("load", "car-1", id, "UNLOCK", 200, "EXECUTED", null, roundTripMs * 1000,
                T.plusMillis(sentMs), null));
    }

    @Test
    void eachCommandIsSplitIntoItsThreeLegs_andTheSlowestShowWhichLegMadeTheTail() {
        for (int i = 0; i < 99; i++) {
            long start = i * 100L;
            command("c" + i, start, start + 4, start + 7, 10); // 4 out, 3 car, 3 back
        }
        command("slow", 20_000, 20_004, 20_084, 88); // the car took 80 ms

        UnlockBreakdown b = UnlockBreakdown.of(entries, carId -> carId.equals("car-1") ? Optional.of(ledger) : Optional.empty());

        assertThat(b.unmatched()).isZero();
        assertThat(b.legs()).hasSize(100);
        UnlockBreakdown.Legs first = b.legs().get(0);
        assertThat(first.outMicros()).isEqualTo(4_000);
        assertThat(first.carMicros()).isEqualTo(3_000);
        assertThat(first.backMicros()).isEqualTo(3_000);
        assertThat(b.slowest()).extracting(UnlockBreakdown.Legs::commandId).containsExactly("slow");
        assertThat(b.report().get("slowest 1 % (1): mean out / car / back ms")).isEqualTo("4.0 / 80.0 / 4.0");
        assertThat(b.report().get("car (verify, begun record, relay, feedback) p50 / p99 ms")).isEqualTo("3.0 / 3.0");
        assertThat(b.report().get("slowest 1 %: sent at, out / car / back ms"))
                .isEqualTo(java.util.List.of(T.plusMillis(20_000) + " 4.0 / 80.0 / 4.0"));
    }

    @Test
    void aCommandTheCarNeverShows_orThatWasNotExecuted_isNotMatched() {
        command("c1", 0, 4, 7, 10);
        entries.add(new CommandLog.Entry("load", "car-1", "ghost", "UNLOCK", 200, "EXECUTED", null, 10_000, T, null));
        entries.add(new CommandLog.Entry("load", "car-1", "late", "UNLOCK", 504, null, null, 10_000, T, null));
        entries.add(new CommandLog.Entry("load", "car-2", "elsewhere", "UNLOCK", 200, "EXECUTED", null, 10_000, T, null));

        UnlockBreakdown b = UnlockBreakdown.of(entries, carId -> carId.equals("car-1") ? Optional.of(ledger) : Optional.empty());

        assertThat(b.legs()).extracting(UnlockBreakdown.Legs::commandId).containsExactly("c1");
        assertThat(b.unmatched()).isEqualTo(2);
    }

    @Test
    void theBegunRecordAndTheBackendsInstants_splitTheLegsFurther_andEachCommandGoesToTheCsv() {
        for (int i = 0; i < 10; i++) {
            long start = i * 100L;
            command("c" + i, start, start + 4, start + 9, 12); // 4 out, 5 car, 3 back
            clock.skew(Duration.ofMillis(start + 5));
            Instant begunStarted = clock.instant();
            clock.skew(Duration.ofMillis(start + 7)); // the forced record took 2 ms
            ledger.begun("c" + i, begunStarted);
        }
        var backend = java.util.Map.of("c0", new UnlockBreakdown.BackendInstants(T.plusMillis(1), T.plusMillis(10), T.plusMillis(11)));

        UnlockBreakdown b = UnlockBreakdown.of(entries, carId -> Optional.of(ledger), id -> Optional.ofNullable(backend.get(id)));

        assertThat(b.report().get("car: to the begun record / begun record forced / relay and answer p50 / p99 ms"))
                .isEqualTo("1.0 / 1.0 / 2.0 / 2.0 / 2.0 / 2.0");
        assertThat(b.report().get("out: request to issued / issued to car p50 / p99 ms")).isEqualTo("1.0 / 1.0 / 3.0 / 3.0");
        assertThat(b.report().get("back: answer to backend / backend to response p50 / p99 ms")).isEqualTo("2.0 / 2.0 / 1.0 / 1.0");
        assertThat(b.report().get("back: answer to backend's client / client to verified and taken p50 / p99 ms"))
                .isEqualTo("1.0 / 1.0 / 1.0 / 1.0");
        List<String> csv = b.csv().lines().toList();
        assertThat(csv).hasSize(11);
        assertThat(csv.get(0).split(",")).as("a column name for every value").hasSize(csv.get(1).split(",", -1).length);
        assertThat(csv.get(1)).isEqualTo("c0," + T + ",1000,4000,5000,7000,9000,10000,11000,12000");
        assertThat(csv.get(2)).as("no backend instants for c1").isEqualTo("c1," + T.plusMillis(100) + ",,4000,5000,7000,9000,,,12000");
    }

    /** How a fleet process hands its cars' instants to the bench: written as JSON, read back, split the same way. */
    @Test
    void theCarsInstantsWrittenByAFleetProcess_splitTheCommandsAsTheLedgerDoes(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws Exception {
        command("c1", 0, 4, 7, 10);
        command("c2", 100, 130, 160, 70);
        ledger.begun("c2", T.plusMillis(131));
        java.util.Map<String, UnlockBreakdown.CarInstants> written = UnlockBreakdown.CarInstants.all(ledger);
        assertThat(written).containsOnlyKeys("c1", "c2");
        java.nio.file.Path file = dir.resolve("fleet-1-commands.json");
        java.nio.file.Files.write(file, Json.write(written));
        java.util.Map<String, UnlockBreakdown.CarInstants> read = FleetWorkerMain.readCommandInstants(file);
        assertThat(read).isEqualTo(written);

        UnlockBreakdown fromFile = UnlockBreakdown.ofInstants(entries, (car, id) -> Optional.ofNullable(read.get(id)), id -> Optional.empty());
        UnlockBreakdown fromLedger = UnlockBreakdown.of(entries, carId -> Optional.of(ledger));
        assertThat(fromFile.legs()).isEqualTo(fromLedger.legs());
        assertThat(fromFile.legs().get(1).carMicros()).isEqualTo(30_000);
        assertThat(fromFile.legs().get(1).phases().begunStarted()).isEqualTo(T.plusMillis(131));
    }
}
