package io.latchkey.simulator.car;

import java.time.Duration;
import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * A plain physical model of one car around its home: position, heading, speed, odometer, fuel, doors
 * and ignition. It drives only with the ignition on and a target speed set, wanders by turning a
 * little each step, and turns back towards home beyond a radius. Not thread-safe: the simulated car
 * serialises access.
 */
public final class VehicleModel {
    private static final double EARTH_RADIUS_M = 6_371_000;
    /** Percent of tank per km: about 7 l/100 km from a 50 l tank. */
    private static final double FUEL_PERCENT_PER_KM = 0.14;

    public enum Door { DRIVER, PASSENGER, REAR_LEFT, REAR_RIGHT, TRUNK }

    private final double homeLat;
    private final double homeLon;
    private final double radiusM;
    private final RandomGenerator random;
    private double lat;
    private double lon;
    private double headingDeg;
    private double speedKmh;
    private double targetSpeedKmh;
    private double odometerKm;
    private double fuelPercent;
    private boolean ignition;
    private final boolean[] doors = new boolean[Door.values().length];

    public VehicleModel(double homeLat, double homeLon, double radiusM, double odometerKm, double fuelPercent,
                        RandomGenerator random) {
        this.homeLat = homeLat;
        this.homeLon = homeLon;
        this.radiusM = radiusM;
        this.lat = homeLat;
        this.lon = homeLon;
        this.odometerKm = odometerKm;
        this.fuelPercent = fuelPercent;
        this.random = Objects.requireNonNull(random, "random");
        this.headingDeg = random.nextDouble() * 360;
    }

    /** Advances the model by {@code dt}: accelerates towards the target speed and moves. */
    public void step(Duration dt) {
        double seconds = dt.toNanos() / 1e9;
        double target = ignition && fuelPercent > 0 ? targetSpeedKmh : 0;
        double maxChange = 10 * seconds; // km/h per second, a gentle car
        speedKmh += Math.max(-maxChange, Math.min(maxChange, target - speedKmh));
        if (speedKmh < 0.05) {
            speedKmh = 0;
            return;
        }
        double distanceM = speedKmh / 3.6 * seconds;
        headingDeg = (headingDeg + (random.nextDouble() - 0.5) * 20 + 360) % 360;
        if (distanceFromHomeM() > radiusM) {
            headingDeg = bearingTo(homeLat, homeLon);
        }
        double dLat = distanceM * Math.cos(Math.toRadians(headingDeg)) / EARTH_RADIUS_M;
        double dLon = distanceM * Math.sin(Math.toRadians(headingDeg)) / (EARTH_RADIUS_M * Math.cos(Math.toRadians(lat)));
        lat += Math.toDegrees(dLat);
        lon += Math.toDegrees(dLon);
        odometerKm += distanceM / 1000;
        fuelPercent = Math.max(0, fuelPercent - distanceM / 1000 * FUEL_PERCENT_PER_KM);
    }

    public double distanceFromHomeM() {
        double dLat = Math.toRadians(lat - homeLat);
        double dLon = Math.toRadians(lon - homeLon) * Math.cos(Math.toRadians(homeLat));
        return Math.hypot(dLat, dLon) * EARTH_RADIUS_M;
    }

    private double bearingTo(double toLat, double toLon) {
        double dLat = toLat - lat;
        double dLon = (toLon - lon) * Math.cos(Math.toRadians(lat));
        return (Math.toDegrees(Math.atan2(dLon, dLat)) + 360) % 360;
    }

    public void drive(double targetSpeedKmh) {
        this.targetSpeedKmh = Math.max(0, targetSpeedKmh);
    }

    public void ignition(boolean on) {
        this.ignition = on;
    }

    public void door(Door door, boolean open) {
        doors[door.ordinal()] = open;
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

    public double lat() {
        return lat;
    }

    public double lon() {
        return lon;
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

    public double fuelPercent() {
        return fuelPercent;
    }

    public boolean ignition() {
        return ignition;
    }
}
