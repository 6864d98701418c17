package io.latchkey.simulator.bench;

import io.latchkey.simulator.fleet.Fleet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.LongSupplier;

/** The cars in the benchmark's own JVM. */
final class LocalBenchFleet implements BenchFleet {
    private final Fleet fleet;
    private final Map<String, Long> marked = new LinkedHashMap<>();

    LocalBenchFleet(Fleet fleet) {
        this.fleet = fleet;
    }

    @Override
    public int size() {
        return fleet.size();
    }

    @Override
    public int connected() {
        return (int) fleet.agents().stream().filter(a -> a.isConnected()).count();
    }

    @Override
    public long pendingRecords() {
        return fleet.deviceIds().stream().mapToLong(id -> fleet.journal(id).pendingRecords()).sum();
    }

    @Override
    public synchronized void mark() {
        marked.clear();
        fleet.deviceIds().forEach(id -> marked.put(id, fleet.journal(id).lastSeq()));
    }

    @Override
    public synchronized boolean drainedSinceMark() {
        return marked.entrySet().stream().allMatch(e -> fleet.journal(e.getKey()).ackedSeq() >= e.getValue());
    }

    @Override
    public void drive(double kmh) {
        fleet.cars().forEach(c -> drive(c, kmh));
    }

    static void drive(io.latchkey.simulator.car.SimulatedCar c, double kmh) {
        if (kmh > 0) {
            c.ignition(true);
            c.drive(kmh);
        } else {
            c.drive(0);
            c.ignition(false);
        }
    }

    @Override
    public Map<String, long[]> journals() {
        Map<String, long[]> j = new LinkedHashMap<>();
        fleet.deviceIds().forEach(id -> {
            var s = fleet.journal(id);
            j.put(id, new long[] {s.lastSeq(), s.ackedSeq()});
        });
        return j;
    }

    @Override
    public Map<String, UnlockBreakdown.CarInstants> commandInstants(java.nio.file.Path workDir) {
        Map<String, UnlockBreakdown.CarInstants> all = new LinkedHashMap<>();
        fleet.deviceIds().forEach(id -> all.putAll(UnlockBreakdown.CarInstants.all(fleet.ledger(id))));
        return all;
    }

    @Override
    public Fleet local() {
        return fleet;
    }

    @Override
    public Map<String, LongSupplier> processes() {
        return Map.of();
    }

    @Override
    public void close() {
        fleet.close();
    }
}
