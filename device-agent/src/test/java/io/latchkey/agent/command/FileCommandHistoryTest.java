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
}
