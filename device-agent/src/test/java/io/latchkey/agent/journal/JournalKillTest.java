package io.latchkey.agent.journal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * kill -9 in the middle of appending: a child JVM appends until it has reported a few thousand
 * fsynced records, is destroyed forcibly, and the journal it leaves is reopened here.
 */
class JournalKillTest {
    @TempDir
    Path dir;

    @Test
    void afterKillMinus9_everyFsyncedRecordIsThere_inOrder_withNoGap() throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process child = new ProcessBuilder(java, "-Xmx64m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn", "-cp", System.getProperty("java.class.path"),
                JournalWriterProcess.class.getName(), dir.toString())
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
        long lastSynced = 0;
        try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = out.readLine()) != null) {
                if (line.startsWith("synced ")) {
                    lastSynced = Long.parseLong(line.substring(7));
                    if (lastSynced >= 5_000) {
                        break;
                    }
                }
            }
            child.destroyForcibly();
            assertThat(child.waitFor(60, TimeUnit.SECONDS)).isTrue();
        } finally {
            child.destroyForcibly();
        }
        assertThat(lastSynced).as("the child reported fsynced records").isGreaterThanOrEqualTo(5_000);

        try (TelemetryJournal journal = TelemetryJournal.open(dir, JournalSettings.DEFAULTS, 0)) {
            List<Long> seqs = new ArrayList<>();
            JournalBatch b;
            while (!(b = journal.readBatch(500)).isEmpty()) {
                b.records().forEach(r -> {
                    assertThat(r).isEqualTo(Records.typical(r.seq()));
                    seqs.add(r.seq());
                });
                journal.acknowledge(b);
            }
            assertThat(seqs.size()).isGreaterThanOrEqualTo((int) lastSynced);
            for (int i = 0; i < seqs.size(); i++) {
                assertThat(seqs.get(i)).isEqualTo(i + 1L);
            }
            System.out.printf("kill -9: %d fsynced, %d recovered, %d torn byte(s) cut%n",
                    lastSynced, seqs.size(), journal.stats().truncatedBytes());
        }
    }
}
