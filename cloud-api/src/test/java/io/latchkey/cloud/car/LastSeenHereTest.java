package io.latchkey.cloud.car;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link CarRegistry#lastSeenHere}: the latest {@code lastSeen} this replica stored or read, which the offline sweep
 * takes, less a minute, as a lower bound of the stored one. It never goes back, and another replica's write is known here only once read.
 */
class LastSeenHereTest {
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
    void whatThisReplicaStoredOrRead_neverGoesBack_andKnowsAnotherReplicasWriteOnlyOnceRead() {
        CarRegistry a = replica();
        CarRegistry b = replica();
        a.create("acme", "car-1", "Car 1", "B-LK 1", "dev-1");
        assertThat(a.lastSeenHere("acme", "car-1")).isNull();

        a.updateState("acme", "car-1", s -> s.withOnline(true, T));
        assertThat(a.lastSeenHere("acme", "car-1")).isEqualTo(T);
        assertThat(b.lastSeenHere("acme", "car-1")).as("b has not read it").isNull();

        Instant later = T.plusSeconds(60);
        b.updateState("acme", "car-1", s -> s.withOnline(true, later));
        assertThat(b.lastSeenHere("acme", "car-1")).isEqualTo(later);
        assertThat(a.lastSeenHere("acme", "car-1")).as("b's write is not known to a until a reads it").isEqualTo(T);
        assertThat(a.state("acme", "car-1").lastSeen()).isEqualTo(later);
        assertThat(a.lastSeenHere("acme", "car-1")).isEqualTo(later);

        // a write that lands late with an older moment (a command's state write, run after the answer) moves the stored
        // lastSeen back by its delay, not this: the offline sweep's margin (OfflineSweep.SLACK, 1 min) covers that delay
        a.updateState("acme", "car-1", s -> s.withLock(null, null, T.plusSeconds(30)));
        assertThat(a.lastSeenHere("acme", "car-1")).isEqualTo(later);
        // a last will keeps the stored lastSeen
        a.updateState("acme", "car-1", s -> s.withOnline(false, T.plusSeconds(90)));
        assertThat(a.lastSeenHere("acme", "car-1")).isEqualTo(later);
        assertThat(a.lastSeenHere("acme", "car-2")).isNull();

        // telemetry's write (on the version this replica last wrote) counts too
        Instant batch = T.plusSeconds(120);
        b.updateStateFromTelemetry("acme", "car-1", 1, s -> s.withOnline(true, batch));
        assertThat(b.lastSeenHere("acme", "car-1")).isEqualTo(batch);
    }
}
