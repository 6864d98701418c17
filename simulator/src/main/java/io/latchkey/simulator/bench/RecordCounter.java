package io.latchkey.simulator.bench;

import java.io.IOException;
import java.util.List;

/** Telemetry records in the backend's store, counted there (a record counts once the backend has written it). */
interface RecordCounter {
    /** Records stored so far, all devices of the tenant. */
    long count();

    /**
     * A point in the store's history, for the samples of a measured phase: as cheap for the store as the counter can
     * make it. {@link #countsAt} turns marks into the exact count at each, after the phase. The default counts at once.
     */
    default long mark() {
        return count();
    }

    /**
     * The exact number of records stored at each mark (as {@link #count()} would have said then), in order; -1 for a
     * mark the store could not be asked for (a listing failed).
     */
    default long[] countsAt(long[] marks) {
        return marks.clone();
    }

    /** Every sequence number the store holds for one device, repeats included, in stored order. */
    List<Long> seqs(String deviceId) throws IOException;
}
