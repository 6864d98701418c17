package io.latchkey.simulator.bench;

import java.io.IOException;
import java.util.List;

/** Telemetry records in the backend's store, counted there (a record counts once the backend has written it). */
interface RecordCounter {
    /** Records stored so far, all devices of the tenant. */
    long count();

    /** Every sequence number the store holds for one device, repeats included, in stored order. */
    List<Long> seqs(String deviceId) throws IOException;
}
