package io.latchkey.cloud.car;

import static org.assertj.core.api.Assertions.assertThat;

import io.latchkey.protocol.LockState;
import io.latchkey.protocol.telemetry.TelemetryRecord;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link CarRegistry#updateStateFromTelemetry}: a batch that changes nothing the state shows but its seq and time is
 * written only once the stored {@code lastSeen} is {@link CarRegistry#LAST_SEEN_WRITTEN_WITHIN} old, and only when the
 * state it was applied to is the car's current one; everything else is written as before.
 */
class TelemetryStateWritesTest {
    private static final Instant T = Instant.parse("2026-12-06T07:00:00Z");

    @TempDir
    Path dir;

    private SharedRegistries shared;
    private CarRegistry a;
    private CarRegistry b;

    @BeforeEach
    void sharedStore() {
        shared = new SharedRegistries(dir, T);
        a = shared.replica();
        b = shared.replica();
        a.create("acme", "car-1", "Car 1", "B-LK 1", "dev-1");
    }

    @Test
    void aParkedCarsBatches_onOneReplica_areWrittenOnceTheStoredLastSeenIsTwoMinutesOld_andShowAtOnceOnThatReplica() {
        ingest(a, parked(1, false));
        assertThat(stored().lastSeq()).isEqualTo(1);
        Instant written = stored().lastSeen();

        for (long seq = 2; seq <= 4; seq++) {
            CarState applied = ingest(a, parked(seq, false));
            assertThat(applied.lastSeq()).as("what ingestion publishes").isEqualTo(seq);
            assertThat(stored().lastSeq()).as("seq %d: not written (old code wrote it)", seq).isEqualTo(1);
            assertThat(stored().lastSeen()).isEqualTo(written);
            assertThat(a.lastSeenHere("acme", "car-1")).as("the sweep's bound stays the stored one").isEqualTo(written);
        }
        // the fifth record, 2 minutes after the one stored: written, with everything applied in between
        shared.now.set(written.plus(CarRegistry.LAST_SEEN_WRITTEN_WITHIN).minusSeconds(1)); // ingest ticks a second
        ingest(a, parked(5, false));
        assertThat(stored().lastSeq()).isEqualTo(5);
        assertThat(stored().lastSeen()).isEqualTo(written.plus(CarRegistry.LAST_SEEN_WRITTEN_WITHIN));
    }

    @Test
    void aBatchThatChangesWhatTheStateShows_isWrittenAtOnce() {
        ingest(a, parked(1, false));
        ingest(a, parked(2, true));
        assertThat(stored().lastSeq()).isEqualTo(2);
        assertThat(stored().ignition()).isTrue();
    }

    @Test
    void aParkedBatch_afterOneThatWentToTheOtherReplica_isNotSkippedOnAStaleCopy() {
        ingest(a, parked(1, false));
        // the car switched its ignition on; that batch went to b, which wrote it
        ingest(b, parked(2, true));
        assertThat(stored().ignition()).isTrue();
        // and off again: the same as a's copy, but a's copy is stale (seq 2 went elsewhere): a must read and write
        ingest(a, parked(3, false));
        assertThat(stored().ignition()).isFalse();
        assertThat(stored().lastSeq()).isEqualTo(3);
    }

    @Test
    void aCommandsAnswerOnTheOtherReplica_isKept_andARecordThatReversesIt_showsWithinTwoMinutes() {
        ingest(a, parked(1, false));
        Instant written = stored().lastSeen();
        // b stores a command's answer: unlocked
        b.updateState("acme", "car-1", s -> s.withLock(LockState.UNLOCKED, null, tick()));
        assertThat(stored().lockState()).isEqualTo(LockState.UNLOCKED);
        // a's next parked record says locked (the car locked itself again), as a's copy does: not written yet
        ingest(a, parked(2, false));
        assertThat(stored().lockState()).isEqualTo(LockState.UNLOCKED);
        // within LAST_SEEN_WRITTEN_WITHIN of the stored lastSeen the record's lock state is stored
        shared.now.set(written.plus(CarRegistry.LAST_SEEN_WRITTEN_WITHIN).minusSeconds(1));
        ingest(a, parked(3, false));
        assertThat(stored().lockState()).isEqualTo(LockState.LOCKED);
        assertThat(stored().lastSeq()).isEqualTo(3);
    }

    @Test
    void aBatchAfterTheOtherReplicasBatches_isSkippedIfThoseChangedNothing_andReadAndWrittenIfTheyDid() {
        ingest(a, parked(1, false));
        ingest(b, parked(2, false)); // b reads, nothing to write
        // a learns from its append's catch-up what b's batch was: nothing new, so a's copy is current
        Instant seen = tick();
        TelemetryRecord third = parked(3, false);
        a.updateStateFromTelemetry("acme", "car-1", 3, java.util.List.of(parked(2, false)), s -> s.merge(third, seen));
        assertThat(stored().lastSeq()).as("skipped").isEqualTo(1);

        // b's next batch switched the ignition on (b wrote it); a's following batch has it off again, like a's copy
        ingest(b, parked(4, true));
        assertThat(stored().ignition()).isTrue();
        Instant later = tick();
        TelemetryRecord fifth = parked(5, false);
        a.updateStateFromTelemetry("acme", "car-1", 5, java.util.List.of(parked(4, true)), s -> s.merge(fifth, later));
        assertThat(stored().ignition()).as("not skipped: b's record changed what the state shows").isFalse();
        assertThat(stored().lastSeq()).isEqualTo(5);
    }

    private Instant tick() {
        return shared.now.advance(Duration.ofSeconds(1));
    }

    private CarState ingest(CarRegistry replica, TelemetryRecord r) {
        Instant seen = tick();
        return replica.updateStateFromTelemetry("acme", "car-1", r.seq(), s -> s.merge(r, seen));
    }

    private CarState stored() {
        return shared.replica().state("acme", "car-1");
    }

    private static TelemetryRecord parked(long seq, boolean ignition) {
        return new TelemetryRecord(seq, T.plusSeconds(seq), 52.52, 13.40, 0.0, 12_345.6, LockState.LOCKED, false, ignition, 3,
                Map.of("Vehicle.LowVoltageBattery.CurrentVoltage", 12.6 - seq * 0.001), "PERIODIC");
    }
}
