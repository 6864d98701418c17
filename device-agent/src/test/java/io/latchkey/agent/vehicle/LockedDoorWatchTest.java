package io.latchkey.agent.vehicle;

import static org.assertj.core.api.Assertions.assertThat;

import io.latchkey.hal.Registration;
import io.latchkey.hal.lock.RelayDoorLocks;
import io.latchkey.hal.lock.SimulatedCentralLocking;
import io.latchkey.hal.vehicle.MutableVehicleSignals;
import io.latchkey.hal.vehicle.Vss;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** Issue 12's "door opened while locked": the car reports it from its own door signals and lock feedback. */
class LockedDoorWatchTest {
    private final MutableVehicleSignals signals = new MutableVehicleSignals();
    private final List<Map<String, String>> events = new CopyOnWriteArrayList<>();
    private final List<String> types = new CopyOnWriteArrayList<>();

    private RelayDoorLocks locks(boolean locked) {
        return new SimulatedCentralLocking(locked, () -> false).doorLocks(Duration.ZERO);
    }

    private Registration watch(RelayDoorLocks locks) {
        return LockedDoorWatch.watch(signals, locks, (type, details) -> {
            types.add(type);
            events.add(details);
        });
    }

    @Test
    void aDoorOpenedWhileLocked_isReportedOnce_namingTheDoor() {
        signals.update(Vss.REAR_LEFT_DOOR_OPEN, 0);
        signals.update(Vss.TRUNK_OPEN, 0);
        try (Registration ignored = watch(locks(true))) {
            signals.update(Vss.REAR_LEFT_DOOR_OPEN, 1);
            signals.update(Vss.REAR_LEFT_DOOR_OPEN, 1); // the same value again is no change
            signals.update(Vss.TRUNK_OPEN, 1);
        }
        assertThat(types).containsOnly(LockedDoorWatch.EVENT);
        assertThat(events).containsExactly(Map.of("door", "rear left", "lock", "LOCKED"), Map.of("door", "boot", "lock", "LOCKED"));
    }

    @Test
    void aDoorOpenedWhileUnlocked_orOneFirstSeenOpen_orAfterTheWatchEnds_raisesNothing() {
        try (Registration ignored = watch(locks(false))) {
            signals.update(Vss.DRIVER_DOOR_OPEN, 0);
            signals.update(Vss.DRIVER_DOOR_OPEN, 1); // unlocked: the borrower gets in
        }
        signals.update(Vss.DRIVER_DOOR_OPEN, 0);
        Registration locked = watch(locks(true));
        signals.update(Vss.PASSENGER_DOOR_OPEN, 1); // a contact first seen open: no change from closed
        signals.update(Vss.SPEED, 0);
        locked.close();
        signals.update(Vss.DRIVER_DOOR_OPEN, 1); // after close
        assertThat(events).isEmpty();
    }

    @Test
    void closingAndOpeningAgain_whileLocked_isASecondEvent() {
        signals.update(Vss.DRIVER_DOOR_OPEN, 0);
        try (Registration ignored = watch(locks(true))) {
            signals.update(Vss.DRIVER_DOOR_OPEN, 1);
            signals.update(Vss.DRIVER_DOOR_OPEN, 0);
            signals.update(Vss.DRIVER_DOOR_OPEN, 1);
        }
        assertThat(events).hasSize(2).allSatisfy(d -> assertThat(d).containsEntry("door", "driver"));
    }
}
