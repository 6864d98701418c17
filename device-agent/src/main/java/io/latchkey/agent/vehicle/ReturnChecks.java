package io.latchkey.agent.vehicle;

import io.latchkey.hal.gnss.GnssFix;
import io.latchkey.hal.vehicle.AgentSignals;
import io.latchkey.hal.vehicle.Vss;
import io.latchkey.protocol.command.HomeZone;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What the car checks, from its own signals, before it may be left or immobilised. Each failed check is
 * one line a borrower can act on ({@code DOOR_OPEN: rear left}, {@code KEY_NOT_IN_HOLDER}); an empty list
 * means every check held. What the car cannot know fails: unknown speed, unknown ignition, no current
 * GNSS fix when a zone must be checked.
 */
public final class ReturnChecks {
    public static final String DOOR_OPEN = "DOOR_OPEN";
    public static final String BOOT_OPEN = "BOOT_OPEN";
    /** The car has no door signal at all (no CAN door signals, no door contact). */
    public static final String DOORS_UNKNOWN = "DOORS_UNKNOWN";
    public static final String IGNITION_ON = "IGNITION_ON";
    /** The car has no ignition signal (no CAN signal, no ignition input). */
    public static final String IGNITION_UNKNOWN = "IGNITION_UNKNOWN";
    public static final String MOVING = "MOVING";
    /** No CAN speed and no current GNSS fix. */
    public static final String SPEED_UNKNOWN = "SPEED_UNKNOWN";
    public static final String KEY_NOT_IN_HOLDER = "KEY_NOT_IN_HOLDER";
    public static final String OUTSIDE_HOME_ZONE = "OUTSIDE_HOME_ZONE";
    /** A zone was given but the car has no current GNSS fix. */
    public static final String POSITION_UNKNOWN = "POSITION_UNKNOWN";
    /**
     * END_RENTAL: every check held but the lock did not take (its feedback never showed locked). The usual cause is a
     * door or the boot the car has no contact for (a bus without that door's signal), left ajar: the borrower can fix it.
     */
    public static final String LOCK_FAILED = "LOCK_FAILED";
    /** The line a borrower reads when the lock did not take at the end of a rental. */
    public static final String LOCK_FAILED_LINE = LOCK_FAILED
            + ": the car could not lock; check that every door and the boot are shut, then try again";

    /** Door signals in the order a borrower walks round the car, with the words for each. */
    private static final Map<String, String> DOORS = new LinkedHashMap<>();

    static {
        DOORS.put(Vss.DRIVER_DOOR_OPEN, "driver");
        DOORS.put(Vss.PASSENGER_DOOR_OPEN, "front passenger");
        DOORS.put(Vss.REAR_LEFT_DOOR_OPEN, "rear left");
        DOORS.put(Vss.REAR_RIGHT_DOOR_OPEN, "rear right");
    }

    private final VehicleStatus vehicle;

    public ReturnChecks(VehicleStatus vehicle) {
        this.vehicle = Objects.requireNonNull(vehicle, "vehicle");
    }

    /**
     * The immobiliser interlock, and part of every return: the car knows it stands still (CAN speed or a
     * current GNSS fix, see {@link VehicleStatus#motion()}) and knows its ignition is off.
     */
    public List<String> parked() {
        List<String> failed = new ArrayList<>(2);
        switch (vehicle.motion()) {
            case MOVING -> failed.add(MOVING);
            case UNKNOWN -> failed.add(SPEED_UNKNOWN);
            case STATIONARY -> { }
        }
        Optional<Boolean> ignition = vehicle.ignition();
        if (ignition.isEmpty()) {
            failed.add(IGNITION_UNKNOWN);
        } else if (ignition.get()) {
            failed.add(IGNITION_ON);
        }
        return failed;
    }

    /**
     * Everything a returned car must satisfy: every door and the boot closed, {@link #parked()}, the key
     * in its holder where the car has one (no {@code key-in-holder} signal: not checked), and, when
     * {@code zone} is given, a current fix inside it.
     */
    public List<String> endOfRental(HomeZone zone) {
        List<String> failed = new ArrayList<>();
        boolean anyDoorKnown = false;
        for (Map.Entry<String, String> door : DOORS.entrySet()) {
            Optional<Double> open = vehicle.signals().value(door.getKey());
            anyDoorKnown |= open.isPresent();
            if (open.map(v -> v >= 0.5).orElse(false)) {
                failed.add(DOOR_OPEN + ": " + door.getValue());
            }
        }
        if (!anyDoorKnown) {
            failed.add(DOORS_UNKNOWN);
        }
        if (vehicle.signals().value(Vss.TRUNK_OPEN).map(v -> v >= 0.5).orElse(false)) {
            failed.add(BOOT_OPEN);
        }
        failed.addAll(parked());
        if (vehicle.signals().value(AgentSignals.KEY_IN_HOLDER).map(v -> v < 0.5).orElse(false)) {
            failed.add(KEY_NOT_IN_HOLDER);
        }
        if (zone != null) {
            Optional<GnssFix> fix = vehicle.currentFix();
            if (fix.isEmpty()) {
                failed.add(POSITION_UNKNOWN);
            } else {
                double distance = zone.distanceM(fix.get().lat(), fix.get().lon());
                if (distance > zone.radiusM()) {
                    failed.add(String.format(java.util.Locale.ROOT, "%s: %d m from the home zone", OUTSIDE_HOME_ZONE,
                            Math.round(Math.ceil(distance - zone.radiusM()))));
                }
            }
        }
        return failed;
    }
}
