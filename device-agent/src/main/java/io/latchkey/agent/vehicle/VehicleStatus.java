package io.latchkey.agent.vehicle;

import io.latchkey.hal.gnss.Gnss;
import io.latchkey.hal.gnss.GnssFix;
import io.latchkey.hal.vehicle.VehicleSignals;
import io.latchkey.hal.vehicle.Vss;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * What the agent concludes from the car's signals: is it moving, is a door open, is the ignition on.
 * The CAN speed wins over the GNSS speed when both are known, since GNSS drifts while parked.
 */
public final class VehicleStatus {
    /** Signals that say a door (or the boot) is open; 1 means open. */
    public static final Set<String> DOOR_SIGNALS = Set.of(Vss.DRIVER_DOOR_OPEN, Vss.PASSENGER_DOOR_OPEN,
            Vss.REAR_LEFT_DOOR_OPEN, Vss.REAR_RIGHT_DOOR_OPEN, Vss.TRUNK_OPEN);

    private final VehicleSignals signals;
    private final Gnss gnss;
    private final double movingSpeedKmh;

    public VehicleStatus(VehicleSignals signals, Gnss gnss, double movingSpeedKmh) {
        this.signals = Objects.requireNonNull(signals, "signals");
        this.gnss = Objects.requireNonNull(gnss, "gnss");
        this.movingSpeedKmh = movingSpeedKmh;
    }

    /** Speed in km/h: CAN if known, else GNSS, else empty. */
    public Optional<Double> speedKmh() {
        Optional<Double> can = signals.value(Vss.SPEED);
        if (can.isPresent()) {
            return can;
        }
        return gnss.latest().map(GnssFix::speedMps).map(mps -> mps * 3.6);
    }

    public boolean isMoving() {
        return speedKmh().map(v -> v > movingSpeedKmh).orElse(false);
    }

    public boolean doorsOpen() {
        return DOOR_SIGNALS.stream().anyMatch(name -> signals.value(name).map(v -> v >= 0.5).orElse(false));
    }

    public boolean ignitionOn() {
        return signals.value(Vss.IGNITION_ON).map(v -> v >= 0.5).orElse(false);
    }

    public VehicleSignals signals() {
        return signals;
    }

    public Gnss gnss() {
        return gnss;
    }
}
