package io.latchkey.cloud.telemetry;

import static org.assertj.core.api.Assertions.assertThat;

import io.latchkey.cloud.car.CarRegistry;
import io.latchkey.cloud.event.Events;
import io.latchkey.cloud.store.FileTenantStore;
import io.latchkey.cloud.store.Stores;
import io.latchkey.cloud.store.TenantStore;
import io.latchkey.protocol.LockState;
import io.latchkey.protocol.telemetry.TelemetryRecord;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two replicas' {@link Trips} on one store, a car's batches handed to either at random (a round-robin broker): each
 * replica applies a batch to the trip progress it last wrote without reading it, and must end with exactly the trips
 * one replica alone cuts, each published once.
 */
class TripsAcrossReplicasTest {
    private static final Instant T0 = Instant.parse("2026-12-01T08:00:00Z");

    @TempDir
    Path shared;
    @TempDir
    Path alone;

    @Test
    void batchesOfOneCarSpreadOverTwoReplicas_cutTheSameTripsAsOneReplica_eachPublishedOnce() {
        List<TelemetryRecord> records = drive(600);
        List<TripEnded> endedAlone = new ArrayList<>();
        Trips single = trips(stores(new FileTenantStore(alone)), endedAlone);
        for (List<TelemetryRecord> batch : batches(records, 7)) {
            single.ingest("acme", "car-1", batch);
        }

        List<TripEnded> ended = new ArrayList<>();
        Stores store = stores(new FileTenantStore(shared));
        Trips a = trips(store, ended);
        Trips b = trips(store, ended);
        Random random = new Random(7);
        for (List<TelemetryRecord> batch : batches(records, 7)) {
            (random.nextBoolean() ? a : b).ingest("acme", "car-1", batch);
        }

        assertSameTrips(single, a, endedAlone, ended);
    }

    @Test
    void parkedStretchesAtOnePlace_spreadOverTwoReplicas_cutTheSameTripsAsOneReplica_writingNoProgressWhileParked() {
        List<TelemetryRecord> records = driveAndParkInPlace(600);
        List<TripEnded> endedAlone = new ArrayList<>();
        StoreRequests counted = new StoreRequests(alone);
        Trips single = trips(stores(counted), endedAlone);
        for (List<TelemetryRecord> batch : batches(records, 1)) {
            single.ingest("acme", "car-1", batch);
        }
        // one replica writes every driving record and the one that parks (13 of every 20), not the 7 parked after it
        // (the old code wrote all 600)
        int writes = counted.calls().getOrDefault("replace trip-progress", 0) + counted.calls().getOrDefault("create trip-progress", 0);
        assertThat(writes).isEqualTo(600 / 20 * 13);

        // two replicas as ingestion runs them: each stores the batch (learning what the other appended since its last
        // one) and hands both to its trips
        List<TripEnded> ended = new ArrayList<>();
        Stores store = stores(new FileTenantStore(shared));
        Trips a = trips(store, ended);
        Trips b = trips(store, ended);
        TelemetryStore telemetryA = new TelemetryStore(store);
        TelemetryStore telemetryB = new TelemetryStore(store);
        Random random = new Random(16);
        for (List<TelemetryRecord> batch : batches(records, 1)) {
            boolean toA = random.nextBoolean();
            TelemetryStore.Stored stored = (toA ? telemetryA : telemetryB).store("acme", "dev-1", batch);
            (toA ? a : b).ingest("acme", "car-1", batch, stored.appendedByOthers());
        }

        assertSameTrips(single, a, endedAlone, ended);
    }

    @Test
    void aParkedRecord_afterTheOtherReplicaOpenedATrip_endsThatTrip_thoughItChangesNothingOnItsOwnStaleCopy() {
        List<TripEnded> ended = new ArrayList<>();
        Stores store = stores(new FileTenantStore(shared));
        Trips a = trips(store, ended);
        Trips b = trips(store, ended);
        a.ingest("acme", "car-1", List.of(parkedAt(1, false, 0.0)));
        a.ingest("acme", "car-1", List.of(parkedAt(2, false, 0.0)));
        b.ingest("acme", "car-1", List.of(parkedAt(3, true, 0.0))); // ignition on: b opens a trip
        a.ingest("acme", "car-1", List.of(parkedAt(4, false, 0.0))); // off, stationary: ends it, on a's stale copy too
        assertThat(ended).hasSize(1);
        assertThat(ended.get(0).trip().endReason()).isEqualTo("IGNITION_OFF");
        assertThat(ended.get(0).trip().endSeq()).isEqualTo(4);
    }

    @Test
    void aParkedRecord_toldThatTheOtherReplicasRecordOpenedATrip_endsThatTrip() {
        List<TripEnded> ended = new ArrayList<>();
        Stores store = stores(new FileTenantStore(shared));
        Trips a = trips(store, ended);
        Trips b = trips(store, ended);
        a.ingest("acme", "car-1", List.of(parkedAt(1, false, 0.0)));
        a.ingest("acme", "car-1", List.of(parkedAt(2, false, 0.0)));
        b.ingest("acme", "car-1", List.of(parkedAt(3, true, 0.0)));
        a.ingest("acme", "car-1", List.of(parkedAt(4, false, 0.0)), List.of(parkedAt(3, true, 0.0)));
        assertThat(ended).hasSize(1);
        assertThat(ended.get(0).trip().endReason()).isEqualTo("IGNITION_OFF");
        assertThat(ended.get(0).trip().startSeq()).isEqualTo(3);
        assertThat(ended.get(0).trip().endSeq()).isEqualTo(4);
    }

    private static TelemetryRecord parkedAt(long seq, boolean ignition, double speed) {
        return new TelemetryRecord(seq, T0.plusSeconds(10L * seq), 52.5, 13.4, speed, 12_000.0, LockState.LOCKED, false,
                ignition, 3, Map.of(), "PERIODIC");
    }

    /** Drives for 12 records, then stands at the place it stopped for 8 (position, odometer unchanged), over and over. */
    private static List<TelemetryRecord> driveAndParkInPlace(int n) {
        List<TelemetryRecord> records = new ArrayList<>();
        double lat = 52.5;
        double odometer = 12_000.0;
        for (int i = 1; i <= n; i++) {
            boolean driving = i % 20 < 12;
            if (driving) {
                lat += 0.0005;
                odometer += 0.1;
            }
            records.add(new TelemetryRecord(i, T0.plusSeconds(10L * i), lat, 13.4, driving ? 40.0 : 0.0, odometer,
                    LockState.UNLOCKED, false, driving, 3, Map.of(), "PERIODIC"));
        }
        return records;
    }

    /** Drives for 12 records, parks for 8, over and over; a record every 10 s. */
    private static List<TelemetryRecord> drive(int n) {
        List<TelemetryRecord> records = new ArrayList<>();
        for (int i = 1; i <= n; i++) {
            boolean driving = i % 20 < 12;
            records.add(new TelemetryRecord(i, T0.plusSeconds(10L * i), 52.5 + i * 0.0005, 13.4, driving ? 40.0 : 0.0,
                    12_000.0 + i * 0.1, LockState.UNLOCKED, false, driving, 3, Map.of(), "PERIODIC"));
        }
        return records;
    }

    private static List<List<TelemetryRecord>> batches(List<TelemetryRecord> records, int size) {
        List<List<TelemetryRecord>> batches = new ArrayList<>();
        for (int i = 0; i < records.size(); i += size) {
            batches.add(records.subList(i, Math.min(records.size(), i + size)));
        }
        return batches;
    }

    private static Trips trips(Stores stores, List<TripEnded> ended) {
        Clock clock = Clock.fixed(T0, ZoneOffset.UTC);
        CarRegistry cars = new CarRegistry(stores, new SecureRandom(), clock);
        Events events = new Events(stores, cars, null, null, null, new SecureRandom(), clock, e -> { });
        return new Trips(stores, cars, events, ended::add);
    }

    private static Stores stores(TenantStore tenant) {
        return new Stores() {
            @Override
            public TenantStore platform() {
                return tenant;
            }

            @Override
            public TenantStore tenant(String tenantId) {
                return tenant;
            }
        };
    }

    /** Two replicas cut the trips one replica alone cuts, and each trip ended once. */
    private static void assertSameTrips(Trips single, Trips a, List<TripEnded> endedAlone, List<TripEnded> ended) {
        List<Trip> expected = single.of("acme", "car-1");
        assertThat(expected).hasSizeGreaterThan(10);
        assertThat(a.of("acme", "car-1")).isEqualTo(expected);
        assertThat(ended).hasSize(endedAlone.size());
        assertThat(ended.stream().map(e -> e.trip().id()).distinct().count()).isEqualTo(ended.size());
    }
}
