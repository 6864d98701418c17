package io.latchkey.cloud.car;

import static org.assertj.core.api.Assertions.assertThat;

import io.latchkey.protocol.command.HomeZone;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Ingestion's home zone: read once per {@link CarRegistry#HOME_ZONE_REUSE}, a change on this replica seen at once. */
class HomeZoneReuseTest {
    private static final Instant T = Instant.parse("2026-12-06T07:00:00Z");

    @TempDir
    Path dir;

    private SharedRegistries shared;

    @org.junit.jupiter.api.BeforeEach
    void sharedStore() {
        shared = new SharedRegistries(dir, T);
    }

    private CarRegistry replica() {
        return shared.replica();
    }

    @Test
    void anotherReplicasChange_isSeenWithinTheReuseTime_andThisReplicasAtOnce() {
        CarRegistry a = replica();
        CarRegistry b = replica();
        a.create("acme", "car-1", "Car 1", "B-LK 1", "dev-1");
        assertThat(b.homeZoneForTelemetry("acme", "car-1")).isNull();

        HomeZone berlin = new HomeZone(52.52, 13.40, 5000.0);
        a.setHomeZone("acme", "car-1", berlin);
        assertThat(a.homeZoneForTelemetry("acme", "car-1")).isEqualTo(berlin);
        assertThat(b.homeZoneForTelemetry("acme", "car-1")).as("b read it a moment ago").isNull();

        shared.now.set(T.plus(CarRegistry.HOME_ZONE_REUSE));
        assertThat(b.homeZoneForTelemetry("acme", "car-1")).isEqualTo(berlin);

        b.setHomeZone("acme", "car-1", null);
        assertThat(b.homeZoneForTelemetry("acme", "car-1")).isNull();
        assertThat(replica().homeZoneForTelemetry("acme", "car-1")).isNull();
    }

    @Test
    void anUnknownCar_hasNoZone() {
        assertThat(replica().homeZoneForTelemetry("acme", "car-9")).isNull();
    }
}
