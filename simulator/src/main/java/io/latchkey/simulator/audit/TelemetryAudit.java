package io.latchkey.simulator.audit;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Accounts for every telemetry sequence number of one car end to end: each number the agent ever
 * assigned ({@code 1..lastSeq} of its journal) must be in the store exactly once, or still waiting in the
 * car's journal (not yet receipted by the cloud). What is neither is lost; what is stored twice is
 * duplicated.
 */
public final class TelemetryAudit {
    /**
     * @param checkedFrom the lowest sequence the check covers (1 unless the store read was windowed)
     * @param lost        up to 20 of the lost numbers, for the report
     */
    public record Result(String deviceId, long lastSeq, long ackedSeq, long stored, long checkedFrom, long lostCount,
                         long duplicatedCount, long pending, List<Long> lost) {
        public boolean clean() {
            return lostCount == 0 && duplicatedCount == 0;
        }
    }

    private TelemetryAudit() {
    }

    /**
     * @param storedSeqs the sequence numbers the store holds for the car (as read; repeats included)
     * @param windowed   true when the store could only be read partly (its most recent records)
     */
    public static Result check(String deviceId, List<Long> storedSeqs, long lastSeq, long ackedSeq, boolean windowed) {
        Set<Long> distinct = new HashSet<>(storedSeqs);
        long duplicated = storedSeqs.size() - distinct.size();
        long from = windowed ? storedSeqs.stream().mapToLong(Long::longValue).min().orElse(1) : 1;
        long lostCount = 0;
        List<Long> lost = new ArrayList<>();
        for (long seq = from; seq <= lastSeq; seq++) {
            if (!distinct.contains(seq) && seq <= ackedSeq) {
                lostCount++;
                if (lost.size() < 20) {
                    lost.add(seq);
                }
            }
        }
        long pending = Math.max(0, lastSeq - ackedSeq);
        // Receipted by the cloud (so released from the journal) but not stored is lost; never receipted and not in the journal
        // would be too, but the journal keeps everything above ackedSeq by construction.
        return new Result(deviceId, lastSeq, ackedSeq, distinct.size(), from, lostCount, duplicated, pending, lost);
    }
}
