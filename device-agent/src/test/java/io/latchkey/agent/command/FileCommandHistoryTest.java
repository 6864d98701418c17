package io.latchkey.agent.command;

import static org.assertj.core.api.Assertions.assertThat;

import io.latchkey.agent.MutableClock;
import io.latchkey.protocol.LockState;
import io.latchkey.protocol.command.CommandAck;
import io.latchkey.protocol.command.CommandOutcome;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileCommandHistoryTest {
    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-23T17:00:00Z"));

    @TempDir
    Path dir;

    private CommandAck executed(String id) {
        return new CommandAck(id, null, "dev-1", CommandOutcome.EXECUTED, null, LockState.UNLOCKED, false, false, clock.instant());
    }

    @Test
    void completedResult_survivesARestart() {
        try (FileCommandHistory h = new FileCommandHistory(dir, 100, "dev-1", clock)) {
            h.begin("c-1");
            h.complete(executed("c-1"));
        }

        try (FileCommandHistory h = new FileCommandHistory(dir, 100, "dev-1", clock)) {
            assertThat(h.find("c-1")).contains(executed("c-1"));
            assertThat(h.find("c-2")).isEmpty();
        }
    }

    @Test
    void idBegunButNeverCompleted_isAnsweredAsInterruptedAfterARestart() {
        try (FileCommandHistory h = new FileCommandHistory(dir, 100, "dev-1", clock)) {
            h.begin("c-1");
        }

        try (FileCommandHistory h = new FileCommandHistory(dir, 100, "dev-1", clock)) {
            CommandAck ack = h.find("c-1").orElseThrow();
            assertThat(ack.outcome()).isEqualTo(CommandOutcome.FAILED);
            assertThat(ack.reason()).isEqualTo(CommandHistory.INTERRUPTED);
        }
    }

    @Test
    void tornLastLine_isSkippedAndEarlierEntriesAreKept() throws Exception {
        try (FileCommandHistory h = new FileCommandHistory(dir, 100, "dev-1", clock)) {
            h.complete(executed("c-1"));
        }
        Files.writeString(dir.resolve(FileCommandHistory.FILE_NAME), "{\"id\":\"c-2\",\"ack\":{\"comm",
                StandardCharsets.UTF_8, StandardOpenOption.APPEND);

        try (FileCommandHistory h = new FileCommandHistory(dir, 100, "dev-1", clock)) {
            assertThat(h.skippedLines()).isEqualTo(1);
            assertThat(h.find("c-1")).isPresent();
            h.complete(executed("c-3"));
        }
        try (FileCommandHistory h = new FileCommandHistory(dir, 100, "dev-1", clock)) {
            assertThat(h.find("c-3")).as("written after the torn line, on a line of its own").isPresent();
        }
    }

    @Test
    void history_forgetsTheOldestIdsAndKeepsItsFileBounded() throws Exception {
        try (FileCommandHistory h = new FileCommandHistory(dir, 10, "dev-1", clock)) {
            for (int i = 0; i < 100; i++) {
                h.begin("c-" + i);
                h.complete(executed("c-" + i));
            }
        }

        try (FileCommandHistory h = new FileCommandHistory(dir, 10, "dev-1", clock)) {
            assertThat(h.find("c-0")).isEmpty();
            assertThat(h.find("c-99")).isPresent();
            assertThat(h.find("c-90")).isPresent();
        }
        assertThat(Files.readAllLines(dir.resolve(FileCommandHistory.FILE_NAME))).hasSizeLessThanOrEqualTo(21);
    }

    @Test
    void theBegunMark_isAnInPlaceOverwriteOfAFixedSlotFile_notALine() throws Exception {
        Path slots = dir.resolve(FileCommandHistory.BEGUN_FILE_NAME);
        try (FileCommandHistory h = new FileCommandHistory(dir, 100, "dev-1", clock)) {
            long size = Files.size(slots);
            assertThat(size).isPositive();
            h.begin("c-1");
            assertThat(Files.readAllLines(dir.resolve(FileCommandHistory.FILE_NAME))).as("no line for a begun id").isEmpty();
            assertThat(Files.readString(slots, StandardCharsets.ISO_8859_1)).contains("c-1");
            for (int i = 2; i < 60; i++) {
                h.complete(executed("c-" + (i - 1)));
                h.begin("c-" + i);
            }
            assertThat(Files.size(slots)).as("allocated once, never grown").isEqualTo(size);
        }
    }

    @Test
    void aCrashAfterTheBegunMark_answersTheIdInterruptedAfterTheRestart_andItStaysSoAfterMoreRestarts() throws Exception {
        FileCommandHistory crashed = new FileCommandHistory(dir, 100, "dev-1", clock);
        for (int i = 0; i < 40; i++) { // more commands than slots: slots are reused once their id is completed
            crashed.begin("c-" + i);
            crashed.complete(executed("c-" + i));
        }
        crashed.begin("c-40");
        // power cut: no complete, no close

        try (FileCommandHistory h = new FileCommandHistory(dir, 100, "dev-1", clock)) {
            assertThat(h.find("c-40").orElseThrow().reason()).isEqualTo(CommandHistory.INTERRUPTED);
            for (int i = 0; i < 40; i++) {
                assertThat(h.find("c-" + i)).contains(executed("c-" + i));
            }
        }
        assertThat(Files.readAllLines(dir.resolve(FileCommandHistory.FILE_NAME)))
                .as("moved to the lines before the slots were cleared").anyMatch(l -> l.contains("\"c-40\""));
        try (FileCommandHistory h = new FileCommandHistory(dir, 100, "dev-1", clock)) {
            assertThat(h.find("c-40").orElseThrow().reason()).isEqualTo(CommandHistory.INTERRUPTED);
            assertThat(h.find("c-39")).contains(executed("c-39"));
        }
    }

    @Test
    void aSlotTornByAPowerCut_isIgnored_andTheWholeMarksStillCount() throws Exception {
        FileCommandHistory crashed = new FileCommandHistory(dir, 100, "dev-1", clock);
        crashed.begin("c-1");
        crashed.begin("c-2"); // two in flight only in this test: the processor runs one at a time
        Path slots = dir.resolve(FileCommandHistory.BEGUN_FILE_NAME);
        byte[] bytes = Files.readAllBytes(slots);
        bytes[FileCommandHistory.SLOT_BYTES + 20] ^= 0x5a; // the second mark torn mid-write
        Files.write(slots, bytes);

        try (FileCommandHistory h = new FileCommandHistory(dir, 100, "dev-1", clock)) {
            assertThat(h.find("c-1").orElseThrow().reason()).isEqualTo(CommandHistory.INTERRUPTED);
            assertThat(h.find("c-2")).as("its mark never became durable, so the relay never moved for it").isEmpty();
        }
    }

    @Test
    void aSlotIsNeverReusedWhileItsIdIsUncompleted() throws Exception {
        FileCommandHistory crashed = new FileCommandHistory(dir, 4, "dev-1", clock); // 4 slots
        for (int i = 0; i < 6; i++) {
            crashed.begin("c-" + i); // none completed: the last two are forced lines instead
        }

        try (FileCommandHistory h = new FileCommandHistory(dir, 10, "dev-1", clock)) {
            for (int i = 0; i < 6; i++) {
                assertThat(h.find("c-" + i).orElseThrow().reason()).isEqualTo(CommandHistory.INTERRUPTED);
            }
        }
    }
}
