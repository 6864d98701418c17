package io.latchkey.protocol.telemetry;

import io.latchkey.protocol.MalformedMessageException;

/**
 * What travels on the {@code receipt} channel, cloud to car: every record of the device's batch with
 * sequence numbers {@code firstSeq..lastSeq} is durably stored (newly, or already before: a resend).
 * Only then may the car release those records from its journal.
 */
public record TelemetryReceipt(String deviceId, long firstSeq, long lastSeq) {
    public TelemetryReceipt {
        if (deviceId == null || deviceId.isBlank()) {
            throw new MalformedMessageException("receipt without deviceId");
        }
        if (firstSeq < 1 || lastSeq < firstSeq) {
            throw new MalformedMessageException("receipt range " + firstSeq + ".." + lastSeq + " is not a range of seqs");
        }
    }

    /** The receipt of a whole batch (not empty). */
    public static TelemetryReceipt of(TelemetryBatch batch) {
        long first = Long.MAX_VALUE;
        long last = Long.MIN_VALUE;
        for (TelemetryRecord r : batch.records()) {
            first = Math.min(first, r.seq());
            last = Math.max(last, r.seq());
        }
        return new TelemetryReceipt(batch.deviceId(), first, last);
    }

    /** Whether this receipt covers every seq from {@code first} to {@code last}. */
    public boolean covers(long first, long last) {
        return firstSeq <= first && last <= lastSeq;
    }
}
