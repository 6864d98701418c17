package io.latchkey.simulator.car;

import io.latchkey.agent.simulated.SimulatedCentralLocking;
import io.latchkey.hal.gnss.GnssFix;
import io.latchkey.hal.lock.DoorLocks;
import io.latchkey.hal.vehicle.MutableVehicleSignals;
import io.latchkey.hal.vehicle.VehicleSignals;
import io.latchkey.hal.vehicle.Vss;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * One virtual car as the agent sees it through the HAL: lock and unlock relays and a locked-feedback
 * contact wired to a simulated central locking (which will not lock with a door open), a GNSS
 * receiver, and the vehicle signals a CAN decoder would produce, all driven by a {@link VehicleModel}.
 * The real {@code RelayDoorLocks} and the real agent run on it unchanged.
 */
public final class SimulatedCar {
    private static final Map<VehicleModel.Door, String> DOOR_SIGNALS = Map.of(
            VehicleModel.Door.DRIVER, Vss.DRIVER_DOOR_OPEN,
            VehicleModel.Door.PASSENGER, Vss.PASSENGER_DOOR_OPEN,
            VehicleModel.Door.REAR_LEFT, Vss.REAR_LEFT_DOOR_OPEN,
            VehicleModel.Door.REAR_RIGHT, Vss.REAR_RIGHT_DOOR_OPEN,
            VehicleModel.Door.TRUNK, Vss.TRUNK_OPEN);

    private final String deviceId;
    private final VehicleModel model;
    private final Clock clock;
    private final SimulatedCentralLocking wiring;
    private final DoorLocks doorLocks;
    private final SimulatedGnss gnss = new SimulatedGnss();
    private final MutableVehicleSignals signals = new MutableVehicleSignals();

    /**
     * @param relayPulse how long each relay stays energised (0 for benchmarks; a real kit uses 200-500 ms)
     */
    public SimulatedCar(String deviceId, VehicleModel model, Clock clock, Duration relayPulse) {
        this.deviceId = Objects.requireNonNull(deviceId, "deviceId");
        this.model = Objects.requireNonNull(model, "model");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.wiring = new SimulatedCentralLocking(true, this::anyDoorOpen);
        this.doorLocks = wiring.doorLocks(relayPulse);
        publish();
    }

    /** Advances the model and reports the result through GNSS and the vehicle signals. */
    public void tick(Duration dt) {
        synchronized (this) {
            model.step(dt);
        }
        publish();
    }

    public void openDoor(VehicleModel.Door door) {
        setDoor(door, true);
    }

    public void closeDoor(VehicleModel.Door door) {
        setDoor(door, false);
    }

    private void setDoor(VehicleModel.Door door, boolean open) {
        synchronized (this) {
            model.door(door, open);
        }
        publish();
    }

    public void ignition(boolean on) {
        synchronized (this) {
            model.ignition(on);
        }
        publish();
    }

    /** Sets the speed the driver aims for; the car moves only with the ignition on. */
    public synchronized void drive(double targetSpeedKmh) {
        model.drive(targetSpeedKmh);
    }

    public synchronized boolean anyDoorOpen() {
        return model.anyDoorOpen();
    }

    private void publish() {
        double lat;
        double lon;
        double heading;
        double speed;
        double odometer;
        double fuel;
        boolean ignition;
        boolean[] open = new boolean[VehicleModel.Door.values().length];
        synchronized (this) {
            lat = model.lat();
            lon = model.lon();
            heading = model.headingDeg();
            speed = model.speedKmh();
            odometer = model.odometerKm();
            fuel = model.fuelPercent();
            ignition = model.ignition();
            for (VehicleModel.Door d : VehicleModel.Door.values()) {
                open[d.ordinal()] = model.isOpen(d);
            }
        }
        signals.update(Vss.SPEED, round(speed, 1));
        signals.update(Vss.TRAVELED_DISTANCE, round(odometer, 1));
        signals.update(Vss.FUEL_LEVEL, round(fuel, 0));
        signals.update(Vss.SUPPLY_VOLTAGE, ignition ? 14.2 : 12.6);
        for (VehicleModel.Door d : VehicleModel.Door.values()) {
            signals.update(DOOR_SIGNALS.get(d), open[d.ordinal()] ? 1 : 0);
        }
        signals.update(Vss.IGNITION_ON, ignition ? 1 : 0);
        gnss.report(new GnssFix(clock.instant(), GnssFix.MODE_3D, lat, lon, 35.0, speed / 3.6, heading));
    }

    private static double round(double v, int decimals) {
        double f = Math.pow(10, decimals);
        return Math.round(v * f) / f;
    }

    public String deviceId() {
        return deviceId;
    }

    /** The real relay driver over this car's simulated lines: what the agent is given. */
    public DoorLocks doorLocks() {
        return doorLocks;
    }

    public SimulatedGnss gnss() {
        return gnss;
    }

    public VehicleSignals signals() {
        return signals;
    }

    /** How many times the unlock relay was energised. */
    public long unlockActivations() {
        return wiring.unlockRelay().activations();
    }

    /** How many times the lock relay was energised. */
    public long lockActivations() {
        return wiring.lockRelay().activations();
    }

    public boolean isLocked() {
        return wiring.isLocked();
    }

    public synchronized VehicleModel.Door[] openDoors() {
        return java.util.Arrays.stream(VehicleModel.Door.values()).filter(model::isOpen).toArray(VehicleModel.Door[]::new);
    }
}
