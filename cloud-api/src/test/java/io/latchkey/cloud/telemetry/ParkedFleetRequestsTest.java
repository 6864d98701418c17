package io.latchkey.cloud.telemetry;

import static org.assertj.core.api.Assertions.assertThat;

import io.latchkey.cloud.car.CarRegistry;
import io.latchkey.cloud.car.CarState;
import io.latchkey.cloud.event.Events;
import io.latchkey.cloud.it.TestClock;
import io.latchkey.cloud.store.Stores;
import io.latchkey.cloud.store.TenantStore;
import io.latchkey.protocol.LockState;
import io.latchkey.protocol.telemetry.TelemetryRecord;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The store requests a parked fleet's telemetry costs with two replicas on one shared store, the batches of each car
 * handed to either replica at random (Mosquitto's round-robin {@code $share}): what ingestion does per batch
 * ({@link TelemetryIngestor#onMessage}: the device's car, the ledger's high-water mark, the conditional append, the
 * car's state, the trip progress), counted in the store layer and weighed in Azure Blob requests ({@link StoreRequests}).
 * The table is printed (docs/benchmarks-scale.md, "A parked car's store requests").
 */
class ParkedFleetRequestsTest {
    private static final Instant T0 = Instant.parse("2026-12-01T08:00:00Z");
    private static final int CARS = 200;
    private static final int STEADY_ROUNDS = 10;

    @TempDir
    Path dir;

    private final TestClock now = new TestClock(T0);
    private StoreRequests store;
    private Stores stores;

    @BeforeEach
    void fleet() {
        store = new StoreRequests(dir);
        stores = new Stores() {
            @Override
            public TenantStore platform() {
                return store;
            }

            @Override
            public TenantStore tenant(String tenantId) {
                return store;
            }
        };
        CarRegistry registration = new CarRegistry(stores, new SecureRandom(), clock());
        for (int i = 0; i < CARS; i++) {
            registration.create("acme", "car-" + i, "Car " + i, "B-" + i, "dev-" + i);
        }
        store.reset();
    }

    @Test
    void aParkedCarsBatch_withTwoReplicas_costsAtMostFourRequests_andItsFirstBatchOnAReplicaAtMostSeven() {
        Replica a = new Replica();
        Replica b = new Replica();

        // each car's first batch, on replica a (a new stream), then its second on b (b's first: the stream exists)
        round(1, car -> a);
        Map<String, Integer> firstOnA = store.calls();
        int firstOnARequests = store.azureRequests();
        store.reset();
        round(2, car -> b);
        Map<String, Integer> firstOnB = store.calls();
        int firstOnBRequests = store.azureRequests();
        store.reset();

        Random random = new Random(16);
        for (int r = 3; r < 3 + STEADY_ROUNDS; r++) {
            round(r, car -> random.nextBoolean() ? a : b);
        }
        Map<String, Integer> steady = store.calls();
        int steadyRequests = store.azureRequests();
        int steadyBatches = CARS * STEADY_ROUNDS;

        System.out.println("first batch of a car on a replica, new stream (" + CARS + " batches): " + firstOnA
                + " = " + per(firstOnARequests, CARS) + " Azure requests per batch");
        System.out.println("first batch of a car on a replica, stream exists (" + CARS + " batches): " + firstOnB
                + " = " + per(firstOnBRequests, CARS) + " Azure requests per batch");
        System.out.println("parked batches, round-robin over 2 replicas (" + steadyBatches + " batches): " + steady
                + " = " + per(steadyRequests, steadyBatches) + " Azure requests per batch");

        // the same batches to one replica (or a broker that keeps a car on one): for comparison
        store.reset();
        for (int r = 3 + STEADY_ROUNDS; r < 3 + 2 * STEADY_ROUNDS; r++) {
            round(r, car -> a);
        }
        System.out.println("parked batches, all to one replica (" + steadyBatches + " batches): " + store.calls()
                + " = " + per(store.azureRequests(), steadyBatches) + " Azure requests per batch");

        // then every car connects again (a broker restart): its state message, on the replica that ingested it last
        store.reset();
        for (int i = 0; i < CARS; i++) {
            a.cars.updateStateFromDevice("acme", "car-" + i, s -> s.withLock(LockState.LOCKED, null, now.get()));
        }
        int connectRequests = store.azureRequests();
        System.out.println("a car's connect (its state message, online): " + store.calls() + " = "
                + per(connectRequests, CARS) + " Azure requests per connect");
        assertThat((double) connectRequests / CARS).as("a write on the known version, no read (was a read and a write)")
                .isLessThanOrEqualTo(1.0);

        // every record stored once, every car's state at its last record
        TelemetryStore reader = new TelemetryStore(stores);
        for (int i = 0; i < CARS; i++) {
            assertThat(reader.recent("acme", "dev-" + i, 1000)).hasSize(2 + 2 * STEADY_ROUNDS);
        }
        assertThat((double) steadyRequests / steadyBatches).isLessThanOrEqualTo(4.0);
        assertThat((double) firstOnBRequests / CARS).isLessThanOrEqualTo(7.0);
    }

    private static String per(int requests, int batches) {
        return String.format(java.util.Locale.ROOT, "%.2f", (double) requests / batches);
    }

    private void round(int seq, java.util.function.IntFunction<Replica> to) {
        now.set(T0.plusSeconds(60L * seq));
        for (int i = 0; i < CARS; i++) {
            to.apply(i).ingest("dev-" + i, List.of(parked(seq)));
        }
    }

    /** A record of a parked car: the same place, locked, the ignition off, the 12 V supply sagging a little. */
    static TelemetryRecord parked(long seq) {
        return new TelemetryRecord(seq, T0.plusSeconds(60 * seq), 52.52, 13.40, 0.0, 12_345.6, LockState.LOCKED, false,
                false, 3, Map.of("Vehicle.LowVoltageBattery.CurrentVoltage", 12.6 - seq * 0.001), "PERIODIC");
    }

    private Clock clock() {
        return now;
    }

    /** One replica's ingestion: the store requests of {@link TelemetryIngestor#onMessage}, in its order. */
    private final class Replica {
        final TelemetryStore telemetry = new TelemetryStore(stores);
        final CarRegistry cars = new CarRegistry(stores, new SecureRandom(), clock());
        final Trips trips = new Trips(stores, cars, new Events(stores, cars, null, null, null, new SecureRandom(), clock(),
                e -> { }), e -> { });

        void ingest(String deviceId, List<TelemetryRecord> records) {
            String carId = cars.carOfDevice("acme", deviceId).orElseThrow();
            telemetry.highestSeq("acme", deviceId);
            TelemetryStore.Stored result = telemetry.store("acme", deviceId, records);
            List<TelemetryRecord> stored = result.stored();
            if (!stored.isEmpty()) {
                TelemetryRecord latest = stored.get(stored.size() - 1);
                CarState state = cars.updateStateFromTelemetry("acme", carId, stored.get(0).seq(), result.appendedByOthers(),
                        s -> s.merge(latest, now.get()));
                assertThat(state.lastSeq()).isEqualTo(latest.seq());
            }
            trips.ingest("acme", carId, records, result.appendedByOthers());
        }
    }
}
