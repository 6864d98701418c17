package io.latchkey.simulator.bench;

import io.latchkey.simulator.fleet.Fleet;
import java.time.Duration;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * The benchmark's cars: in this JVM ({@link LocalBenchFleet}) or split over child JVMs ({@link RemoteBenchFleet},
 * {@code --fleet-processes}), so that the unlock is measured with the cars out of the benchmark's process and
 * more cars run than one process may hold open files for.
 */
interface BenchFleet extends AutoCloseable {
    int size();

    /** Cars whose agent is connected to the broker now. */
    int connected();

    default boolean awaitConnected(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (connected() == size()) {
                return true;
            }
            ChildProcess.sleep(250);
        }
        return connected() == size();
    }

    /** Records in the cars' journals not yet receipted by the backend. */
    long pendingRecords();

    /** Remembers each car's highest sequence number now, for {@link #drainedSinceMark}. */
    void mark();

    /** Whether every car's journal is receipted (durably stored by the backend) up to what it had at {@link #mark}. */
    boolean drainedSinceMark();

    /** Every car drives at this speed (ignition on), or parks (0: ignition off). */
    void drive(double kmh);

    /** Each car's {lastSeq, ackedSeq}. */
    Map<String, long[]> journals();

    /**
     * Every command the cars received and answered, by command id, with its instants on the car
     * ({@link UnlockBreakdown.CarInstants}); a fleet split over processes has each write its own to {@code workDir}.
     */
    Map<String, UnlockBreakdown.CarInstants> commandInstants(java.nio.file.Path workDir);

    /** The fleet when it runs in this JVM (relay activations, command ledgers); null when split over processes. */
    Fleet local();

    /** The fleet's own processes by name for the resource sampler (none: this JVM, sampled as "simulator"). */
    Map<String, LongSupplier> processes();

    @Override
    void close();
}
