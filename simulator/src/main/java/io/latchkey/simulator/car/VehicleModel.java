package io.latchkey.simulator.car;

import io.latchkey.simulator.route.GeoPoint;
import io.latchkey.simulator.route.RouteSource;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Objects;

/**
 * A plain physical model of one car: it follows trips from a {@link RouteSource} (a street grid or a
 * GPX track) at up to the driver's target speed, accelerating and braking gently; the odometer counts
 * the distance and the fuel or battery level falls with it. Doors, ignition (only with the key in its
 * holder) and the 12 V supply (charging while the ignition is on, slowly sagging while parked) are
 * state the driver and the fault injector change. Not thread-safe: {@link SimulatedCar} serialises.
 */
public final class VehicleModel {
    /** km/h per second, a gentle car. */
    private static final double ACCELERATION = 10;
    private static final double CHARGING_VOLTS = 14.2;
    private static final double RESTING_VOLTS = 12.6;
    private static final int MAX_WAYPOINTS_PER_STEP = 64;

    public enum Door { DRIVER, PASSENGER, REAR_LEFT, REAR_RIGHT, TRUNK }

    private final RouteSource routes;
    private final Powertrain powertrain;
    private final Deque<GeoPoint> route = new ArrayDeque<>();
    private GeoPoint position;
    private double headingDeg;
    private double speedKmh;
    private double targetSpeedKmh;
    private double odometerKm;
    private double energyPercent;
    private boolean ignition;
    private boolean keyInHolder = true;
    private boolean immobilised;
    private double restingVolts = RESTING_VOLTS;
    private final boolean[] doors = new boolean[Door.values().length];

    public VehicleModel(RouteSource routes, GeoPoint start, Powertrain powertrain, double odometerKm, double energyPercent) {
        this.routes = Objects.requireNonNull(routes, "routes");
        this.position = Objects.requireNonNull(start, "start");
        this.powertrain = Objects.requireNonNull(powertrain, "powertrain");
        this.odometerKm = odometerKm;
        this.energyPercent = energyPercent;
    }

    /**
     * The car's 12 V battery ({@code sim battery}, docs/simulator.md): once set, each step drains or recharges it (the
     * ignition on is driving; the device's power state from {@code deviceState}) and the resting voltage follows it.
     */
    public void battery(io.latchkey.simulator.power.BatteryModel model,
                        java.util.function.Supplier<io.latchkey.agent.power.PowerState> deviceState) {
        this.battery = model;
        this.deviceState = Objects.requireNonNull(deviceState, "deviceState");
        this.restingVolts = model.restingVolts();
    }

    public io.latchkey.simulator.power.BatteryModel battery() {
        return battery;
    }

    private io.latchkey.simulator.power.BatteryModel battery;
    private java.util.function.Supplier<io.latchkey.agent.power.PowerState> deviceState;

    /** Advances the model by {@code dt}: speeds up or slows down towards the target and moves along the trip. */
    public void step(Duration dt) {
        if (battery != null) {
            battery.step(dt, ignition, ignition ? io.latchkey.agent.power.PowerState.NORMAL : deviceState.get());
            restingVolts = battery.restingVolts();
        }
        double seconds = dt.toNanos() / 1e9;
        double target = ignition && !immobilised && energyPercent > 0 ? targetSpeedKmh : 0;
        double maxChange = ACCELERATION * seconds;
        speedKmh += Math.max(-maxChange, Math.min(maxChange, target - speedKmh));
        if (speedKmh < 0.05) {
            speedKmh = 0;
            return;
        }
        double metres = speedKmh / 3.6 * seconds;
        move(metres);
        odometerKm += metres / 1000;
        energyPercent = Math.max(0, energyPercent - metres / 1000 * powertrain.percentPerKm());
    }

    private void move(double metres) {
        double left = metres;
        for (int i = 0; i < MAX_WAYPOINTS_PER_STEP && left > 0; i++) {
            if (route.isEmpty()) {
                route.addAll(routes.nextRoute(position));
            }
            GeoPoint next = route.peekFirst();
            double d = position.distanceM(next);
            if (d > 0.01) {
                headingDeg = position.bearingDeg(next);
            }
            if (d <= left) {
                position = next;
                route.removeFirst();
                left -= d;
            } else {
                position = position.toward(next, left);
                left = 0;
            }
        }
    }

    public void drive(double targetSpeedKmh) {
        this.targetSpeedKmh = Math.max(0, targetSpeedKmh);
    }

    /** Turns the ignition on (only with the key in its holder) or off; returns whether it is on. */
    public boolean ignition(boolean on) {
        this.ignition = on && keyInHolder;
        return ignition;
    }

    /** Taking the key out switches the ignition off. */
    public void keyInHolder(boolean present) {
        this.keyInHolder = present;
        if (!present) {
            ignition = false;
        }
    }

    /** The starter is cut: the car does not drive off (one already rolling coasts to a stop). */
    public void immobilised(boolean cut) {
        this.immobilised = cut;
    }

    public boolean immobilised() {
        return immobilised;
    }

    public void door(Door door, boolean open) {
        doors[door.ordinal()] = open;
    }

    /** The battery's resting voltage while parked (a fault lowers it; the alternator still charges). */
    public void restingVolts(double volts) {
        this.restingVolts = volts;
    }

    public boolean isOpen(Door door) {
        return doors[door.ordinal()];
    }

    public boolean anyDoorOpen() {
        for (boolean d : doors) {
            if (d) {
                return true;
            }
        }
        return false;
    }

    public GeoPoint position() {
        return position;
    }

    public double lat() {
        return position.lat();
    }

    public double lon() {
        return position.lon();
    }

    public double headingDeg() {
        return headingDeg;
    }

    public double speedKmh() {
        return speedKmh;
    }

    public double odometerKm() {
        return odometerKm;
    }

    /** Fuel or battery state of charge, percent. */
    public double energyPercent() {
        return energyPercent;
    }

    public Powertrain powertrain() {
        return powertrain;
    }

    public boolean ignition() {
        return ignition;
    }

    public boolean keyInHolder() {
        return keyInHolder;
    }

    public double supplyVolts() {
        return ignition ? CHARGING_VOLTS : restingVolts;
    }
}
