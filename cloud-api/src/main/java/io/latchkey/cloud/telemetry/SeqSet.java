package io.latchkey.cloud.telemetry;

import java.util.TreeSet;

/**
 * The sequence numbers stored for one device: everything up to a watermark, plus the few seen above
 * it (out of order, after a gap). Memory stays small because sequences are mostly contiguous.
 * Not thread-safe: one device's messages are handled on one thread.
 */
final class SeqSet {
    private long watermark;
    private final TreeSet<Long> above = new TreeSet<>();

    boolean contains(long seq) {
        return seq <= watermark || above.contains(seq);
    }

    /** The highest seq in the set, 0 if it is empty. */
    long highest() {
        return above.isEmpty() ? watermark : above.last();
    }

    void add(long seq) {
        if (contains(seq)) {
            return;
        }
        above.add(seq);
        while (!above.isEmpty() && above.first() == watermark + 1) {
            watermark = above.pollFirst();
        }
    }
}
