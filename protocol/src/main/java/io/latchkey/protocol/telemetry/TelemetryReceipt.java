package io.latchkey.protocol.telemetry;

import io.latchkey.protocol.MalformedMessageException;
import java.util.List;

/**
 * What the cloud tells a car about one telemetry batch: every record of the device's batch with sequence
 * numbers {@code firstSeq..lastSeq} is done with. Either durably stored (newly, or already before: a
 * resend), or, for the seqs listed in {@code refused}, looked at and refused as implausible (out-of-range
 * values, an impossible seq) and never to be stored. Only then may the car release those records from its
 * journal. It travels signed ({@link SignedReceipt}); tenant and device are named so that a receipt made
 * for one car cannot release another's records.
 *
 * @param refused the seqs of the range the cloud refused, ascending, each inside the range; empty when all
 *                were stored
 */
public record TelemetryReceipt(String tenant, String deviceId, long firstSeq, long lastSeq, List<Long> refused) {
    public TelemetryReceipt {
        if (tenant == null || tenant.isBlank()) {
            throw new MalformedMessageException("receipt without tenant");
        }
        if (deviceId == null || deviceId.isBlank()) {
            throw new MalformedMessageException("receipt without deviceId");
        }
        if (firstSeq < 1 || lastSeq < firstSeq) {
            throw new MalformedMessageException("receipt range " + firstSeq + ".." + lastSeq + " is not a range of seqs");
        }
        refused = refused == null ? List.of() : List.copyOf(refused);
        long previous = firstSeq - 1;
        for (long seq : refused) {
            if (seq <= previous || seq > lastSeq) {
                throw new MalformedMessageException("refused seq " + seq + " is not ascending inside " + firstSeq + ".." + lastSeq);
            }
            previous = seq;
        }
    }

    /** A receipt of a range with nothing refused. */
    public TelemetryReceipt(String tenant, String deviceId, long firstSeq, long lastSeq) {
        this(tenant, deviceId, firstSeq, lastSeq, List.of());
    }

    /** The receipt of a whole batch (not empty), nothing refused. */
    public static TelemetryReceipt of(String tenant, TelemetryBatch batch) {
        long first = Long.MAX_VALUE;
        long last = Long.MIN_VALUE;
        for (TelemetryRecord r : batch.records()) {
            first = Math.min(first, r.seq());
            last = Math.max(last, r.seq());
        }
        return new TelemetryReceipt(tenant, batch.deviceId(), first, last);
    }

    /** Whether this receipt covers every seq from {@code first} to {@code last}. */
    public boolean covers(long first, long last) {
        return firstSeq <= first && last <= lastSeq;
    }

    /** How many of the refused seqs lie in {@code first..last}. */
    public int refusedWithin(long first, long last) {
        return (int) refused.stream().filter(seq -> seq >= first && seq <= last).count();
    }
}
