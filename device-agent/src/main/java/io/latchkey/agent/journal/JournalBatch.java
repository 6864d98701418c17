package io.latchkey.agent.journal;

import io.latchkey.protocol.telemetry.TelemetryRecord;
import java.util.List;

/** Records read for publishing, with where reading continues once the cloud receipted them. */
public record JournalBatch(List<TelemetryRecord> records, long endSegment, long endOffset) {
    public boolean isEmpty() {
        return records.isEmpty();
    }

    public long firstSeq() {
        return records.get(0).seq();
    }

    public long lastSeq() {
        return records.get(records.size() - 1).seq();
    }
}
