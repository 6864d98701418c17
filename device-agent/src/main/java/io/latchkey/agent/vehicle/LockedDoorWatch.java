package io.latchkey.agent.vehicle;

import io.latchkey.hal.Registration;
import io.latchkey.hal.lock.DoorLocks;
import io.latchkey.hal.lock.LockState;
import io.latchkey.hal.vehicle.VehicleSignals;
import io.latchkey.hal.vehicle.Vss;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiConsumer;

/**
 * A door or the boot opened while the car reads locked (a break-in, or a lock that did not hold): the car reports
 * {@value #EVENT} with {@code details}: {@code door} (the words {@link ReturnChecks} uses: {@code driver},
 * {@code rear left}, ..., {@code boot}) and {@code lock} ({@code LOCKED}). Raised on the change from closed to open
 * only, never for a door the car first sees open (at start, or a signal the bus just began to carry), so a stuck
 * contact raises nothing at every restart; a door opened with the lock reading unlocked or unknown raises nothing.
 */
public final class LockedDoorWatch {
    public static final String EVENT = "DOOR_OPENED_WHILE_LOCKED";

    private static final Map<String, String> OPENINGS = new LinkedHashMap<>();

    static {
        OPENINGS.put(Vss.DRIVER_DOOR_OPEN, "driver");
        OPENINGS.put(Vss.PASSENGER_DOOR_OPEN, "front passenger");
        OPENINGS.put(Vss.REAR_LEFT_DOOR_OPEN, "rear left");
        OPENINGS.put(Vss.REAR_RIGHT_DOOR_OPEN, "rear right");
        OPENINGS.put(Vss.TRUNK_OPEN, "boot");
    }

    private LockedDoorWatch() {
    }

    /**
     * Watches {@code signals} until the registration is closed.
     *
     * @param publish called with the event type and its details (the agent's {@code DeviceEvents::publish})
     */
    public static Registration watch(VehicleSignals signals, DoorLocks locks, BiConsumer<String, Map<String, String>> publish) {
        Objects.requireNonNull(locks, "locks");
        Objects.requireNonNull(publish, "publish");
        Map<String, Boolean> open = new ConcurrentHashMap<>();
        for (String name : OPENINGS.keySet()) {
            signals.value(name).ifPresent(v -> open.put(name, v >= 0.5));
        }
        return signals.addListener((name, value) -> {
            String words = OPENINGS.get(name);
            if (words == null || value == null) {
                return;
            }
            boolean nowOpen = value >= 0.5;
            Boolean before = open.put(name, nowOpen);
            if (nowOpen && Boolean.FALSE.equals(before) && locks.state() == LockState.LOCKED) {
                publish.accept(EVENT, Map.of("door", words, "lock", LockState.LOCKED.name()));
            }
        });
    }
}
