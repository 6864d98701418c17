package io.latchkey.simulator.car;

import static org.assertj.core.api.Assertions.assertThat;

import io.latchkey.hal.lock.LockState;
import io.latchkey.hal.vehicle.Vss;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class SimulatedCarTest {
    private final Clock clock = Clock.fixed(Instant.parse("2026-11-23T17:00:00Z"), ZoneOffset.UTC);
    private final SimulatedCar car = new SimulatedCar("dev-1",
            new VehicleModel(52.52, 13.405, 2_000, 12_034.5, 63, new SplittableRandom(1)), clock, Duration.ZERO);

    @Test
    void unlockRelay_drivesTheFeedbackToUnlocked_andLockRelayBackToLocked() {
        List<LockState> seen = new ArrayList<>();
        car.doorLocks().addListener(seen::add);
        assertThat(car.doorLocks().state()).isEqualTo(LockState.LOCKED);

        car.doorLocks().pulseUnlock();
        assertThat(car.doorLocks().state()).isEqualTo(LockState.UNLOCKED);
        car.doorLocks().pulseLock();

        assertThat(car.doorLocks().state()).isEqualTo(LockState.LOCKED);
        assertThat(seen).containsExactly(LockState.UNLOCKED, LockState.LOCKED);
        assertThat(car.unlockActivations()).isEqualTo(1);
        assertThat(car.lockActivations()).isEqualTo(1);
    }

    @Test
    void lockRelay_withADoorOpen_leavesTheCarUnlocked() {
        car.doorLocks().pulseUnlock();
        car.openDoor(VehicleModel.Door.PASSENGER);

        car.doorLocks().pulseLock();

        assertThat(car.doorLocks().state()).isEqualTo(LockState.UNLOCKED);
        assertThat(car.lockActivations()).as("the relay did fire").isEqualTo(1);
    }

    @Test
    void signalsAndGnss_reportTheModel_underVssNames() {
        assertThat(car.signals().value(Vss.TRAVELED_DISTANCE)).contains(12_034.5);
        assertThat(car.signals().value(Vss.FUEL_LEVEL)).contains(63.0);
        assertThat(car.signals().value(Vss.SPEED)).contains(0.0);
        assertThat(car.signals().value(Vss.IGNITION_ON)).contains(0.0);
        assertThat(car.gnss().latest()).hasValueSatisfying(fix -> {
            assertThat(fix.hasPosition()).isTrue();
            assertThat(fix.lat()).isEqualTo(52.52);
            assertThat(fix.time()).isEqualTo(clock.instant());
        });

        car.openDoor(VehicleModel.Door.DRIVER);
        car.ignition(true);
        car.drive(30);
        car.tick(Duration.ofSeconds(1));

        assertThat(car.signals().value(Vss.DRIVER_DOOR_OPEN)).contains(1.0);
        assertThat(car.signals().value(Vss.IGNITION_ON)).contains(1.0);
        assertThat(car.signals().value(Vss.SPEED)).contains(10.0);
        assertThat(car.gnss().latest().orElseThrow().speedMps()).isCloseTo(10 / 3.6, org.assertj.core.data.Offset.offset(1e-9));
    }
}
