package io.latchkey.agent.journal;

import io.latchkey.agent.telemetry.SequenceCounter;

/**
 * Numbers records after the journal's last one. The journal owns the sequence because it owns the
 * records: after a power loss the numbering restarts right after the last record that survived (or
 * the last one the cloud receipted, whichever is higher), so a number the cloud has seen is never
 * given to a different record.
 */
public final class JournalSequenceCounter implements SequenceCounter {
    private long last;

    public JournalSequenceCounter(TelemetryJournal journal) {
        this.last = journal.lastSeq();
    }

    @Override
    public synchronized long next() {
        return ++last;
    }

    @Override
    public synchronized long last() {
        return last;
    }
}
