package io.latchkey.agent.telemetry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.latchkey.agent.MutableClock;
import io.latchkey.hal.gnss.FixedGnss;
import io.latchkey.hal.lock.SimulatedCentralLocking;
import io.latchkey.agent.vehicle.VehicleStatus;
import io.latchkey.hal.lock.RelayDoorLocks;
import io.latchkey.hal.vehicle.MutableVehicleSignals;
import io.latchkey.hal.vehicle.Vss;
import io.latchkey.protocol.LockState;
import io.latchkey.protocol.telemetry.TelemetryRecord;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class TelemetryLoopTest {
    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-23T17:00:00Z"));
    private final MutableVehicleSignals signals = new MutableVehicleSignals();
    private final SimulatedCentralLocking wiring = new SimulatedCentralLocking(true, () -> false);
    private final RelayDoorLocks locks = wiring.doorLocks(Duration.ZERO);
    private final VehicleStatus vehicle = new VehicleStatus(signals, new FixedGnss(52.52, 13.405, clock), 3.0, clock);
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
    private final List<TelemetryRecord> sent = new CopyOnWriteArrayList<>();

    @AfterEach
    void stop() {
        scheduler.shutdownNow();
    }

    private TelemetryLoop loop(Duration moving, Duration parked) {
        return new TelemetryLoop(new TelemetrySampler(vehicle, locks, clock), new InMemorySequenceCounter(), sent::add,
                vehicle, locks, scheduler, Runnable::run, moving, parked);
    }

    @Test
    void start_takesARecordNumberedOne_withPositionOdometerLockStateAndOtherSignals() {
        signals.update(Vss.TRAVELED_DISTANCE, 12034.5);
        signals.update(Vss.FUEL_LEVEL, 63);
        signals.update(Vss.SPEED, 0);

        loop(Duration.ofHours(1), Duration.ofHours(1)).start();

        assertThat(sent).hasSize(1);
        TelemetryRecord r = sent.get(0);
        assertThat(r.seq()).isEqualTo(1);
        assertThat(r.reason()).isEqualTo(TelemetryLoop.START);
        assertThat(r.time()).isEqualTo(clock.instant());
        assertThat(r.lat()).isEqualTo(52.52);
        assertThat(r.lon()).isEqualTo(13.405);
        assertThat(r.gnssMode()).isEqualTo(3);
        assertThat(r.odometerKm()).isEqualTo(12034.5);
        assertThat(r.speedKmh()).isEqualTo(0.0);
        assertThat(r.lockState()).isEqualTo(LockState.LOCKED);
        assertThat(r.doorsOpen()).isFalse();
        assertThat(r.ignition()).isFalse();
        assertThat(r.signals()).containsEntry(Vss.FUEL_LEVEL, 63.0).doesNotContainKey(Vss.TRAVELED_DISTANCE);
    }

    @Test
    void lockDoorAndIgnitionChanges_areRecordedAtOnce_withConsecutiveSequenceNumbers() {
        loop(Duration.ofHours(1), Duration.ofHours(1)).start();

        locks.pulseUnlock();
        signals.update(Vss.DRIVER_DOOR_OPEN, 1);
        signals.update(Vss.IGNITION_ON, 1);
        signals.update(Vss.FUEL_LEVEL, 50);

        assertThat(sent).extracting(TelemetryRecord::reason)
                .containsExactly(TelemetryLoop.START, TelemetryLoop.LOCK, TelemetryLoop.DOOR, TelemetryLoop.IGNITION);
        assertThat(sent).extracting(TelemetryRecord::seq).containsExactly(1L, 2L, 3L, 4L);
        assertThat(sent.get(1).lockState()).isEqualTo(LockState.UNLOCKED);
        assertThat(sent.get(2).doorsOpen()).isTrue();
        assertThat(sent.get(3).ignition()).isTrue();
    }

    @Test
    void periodicRecords_comeAtTheMovingIntervalWhileMoving_andTheParkedIntervalOtherwise() {
        TelemetryLoop loop = loop(Duration.ofMillis(50), Duration.ofHours(1));
        assertThat(loop.currentInterval()).isEqualTo(Duration.ofHours(1));

        signals.update(Vss.SPEED, 40);
        assertThat(loop.currentInterval()).isEqualTo(Duration.ofMillis(50));
        loop.start();

        await().atMost(Duration.ofSeconds(5)).until(() -> sent.size() >= 5);
        assertThat(sent.get(1).reason()).isEqualTo(TelemetryLoop.PERIODIC);
        for (int i = 0; i < sent.size() - 1; i++) {
            assertThat(sent.get(i + 1).seq()).isEqualTo(sent.get(i).seq() + 1);
        }
    }

    @Test
    void stoppedLoop_recordsNothingMore() {
        TelemetryLoop loop = loop(Duration.ofMillis(20), Duration.ofMillis(20));
        loop.start();
        loop.stop();
        int n = sent.size();

        locks.pulseUnlock();

        assertThat(sent).hasSize(n);
    }
}
