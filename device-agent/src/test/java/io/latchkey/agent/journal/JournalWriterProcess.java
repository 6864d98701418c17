package io.latchkey.agent.journal;

import java.nio.file.Path;

/**
 * The child process of {@link JournalKillTest}: appends records forever, group-committing every 100,
 * and prints {@code synced <seq>} after each fsync and {@code appended <seq>} every 1000 appends,
 * until it is killed.
 */
public final class JournalWriterProcess {
    private JournalWriterProcess() {
    }

    public static void main(String[] args) {
        TelemetryJournal journal = TelemetryJournal.open(Path.of(args[0]), JournalSettings.DEFAULTS, 0);
        for (long seq = journal.lastSeq() + 1; ; seq++) {
            journal.append(Records.typical(seq));
            if (seq % 100 == 0) {
                journal.syncRecords();
                System.out.println("synced " + seq);
                System.out.flush();
            }
        }
    }
}
