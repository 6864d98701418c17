package io.latchkey.agent.journal;

import java.time.Duration;

/**
 * Bounds and durability of the journal.
 *
 * @param maxBytes      total size of all segments; beyond it the oldest whole segments are evicted
 * @param segmentBytes  size at which the active segment is closed and a new one started
 * @param fsyncInterval group commit: appended records are fsynced at most this long after the append
 *                      (and always before they are published)
 * @param batchSize     records per published telemetry batch
 */
public record JournalSettings(long maxBytes, long segmentBytes, Duration fsyncInterval, int batchSize) {
    public static final long DEFAULT_MAX_BYTES = 32L * 1024 * 1024;
    public static final long DEFAULT_SEGMENT_BYTES = 1024 * 1024;
    public static final Duration DEFAULT_FSYNC_INTERVAL = Duration.ofSeconds(1);
    public static final int DEFAULT_BATCH_SIZE = 50;
    /** A segment must hold at least a few of the largest records. */
    public static final long MIN_SEGMENT_BYTES = 4L * (Frames.HEADER + Frames.MAX_PAYLOAD);

    public static final JournalSettings DEFAULTS =
            new JournalSettings(DEFAULT_MAX_BYTES, DEFAULT_SEGMENT_BYTES, DEFAULT_FSYNC_INTERVAL, DEFAULT_BATCH_SIZE);

    public JournalSettings {
        if (segmentBytes < MIN_SEGMENT_BYTES) {
            throw new IllegalArgumentException("segmentBytes must be at least " + MIN_SEGMENT_BYTES + ", got " + segmentBytes);
        }
        if (maxBytes < 2 * segmentBytes) {
            throw new IllegalArgumentException("maxBytes must be at least two segments (" + 2 * segmentBytes + "), got " + maxBytes);
        }
        if (fsyncInterval == null || fsyncInterval.isNegative() || fsyncInterval.isZero()) {
            throw new IllegalArgumentException("fsyncInterval must be positive, got " + fsyncInterval);
        }
        if (batchSize < 1) {
            throw new IllegalArgumentException("batchSize must be at least 1, got " + batchSize);
        }
    }
}
