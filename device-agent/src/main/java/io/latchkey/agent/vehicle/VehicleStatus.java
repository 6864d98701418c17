package io.latchkey.agent.vehicle;

import io.latchkey.hal.gnss.Gnss;
import io.latchkey.hal.gnss.GnssFix;
import io.latchkey.hal.vehicle.VehicleSignals;
import io.latchkey.hal.vehicle.Vss;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * What the agent concludes from the car's signals: is it moving, is a door open, is the ignition on.
 *
 * <p>Two kinds of answer, kept apart on purpose. {@link #speedKmh()}, {@link #ignitionOn()} and
 * {@link #isMoving()} describe the car for telemetry, where a missing signal reads as "nothing to
 * report". {@link #motion()} and {@link #ignition()} are for decisions that must fail closed (the
 * immobiliser interlock, the end-of-rental check): there a signal the car does not have, or a GNSS fix
 * that is not {@linkplain #currentFix() current}, is {@code UNKNOWN}, never "stationary" or "off".
 */
public final class VehicleStatus {
    /** Signals that say a door (or the boot) is open; 1 means open. */
    public static final Set<String> DOOR_SIGNALS = Set.of(Vss.DRIVER_DOOR_OPEN, Vss.PASSENGER_DOOR_OPEN,
            Vss.REAR_LEFT_DOOR_OPEN, Vss.REAR_RIGHT_DOOR_OPEN, Vss.TRUNK_OPEN);

    /** A GNSS fix older than this (by its own UTC time against the agent's clock) says nothing about now. */
    public static final Duration CURRENT_FIX = Duration.ofSeconds(5);

    /** Whether the car is known to stand still, known to move, or neither. */
    public enum Motion {
        /** Every known speed (CAN, current GNSS fix) is at most the moving threshold, and at least one is known. */
        STATIONARY,
        /** A known speed is above the moving threshold. */
        MOVING,
        /** No CAN speed and no current GNSS fix with a speed. */
        UNKNOWN
    }

    private final VehicleSignals signals;
    private final Gnss gnss;
    private final double movingSpeedKmh;
    private final Clock clock;
    private final Duration fixMaxAge;

    public VehicleStatus(VehicleSignals signals, Gnss gnss, double movingSpeedKmh, Clock clock) {
        this(signals, gnss, movingSpeedKmh, clock, CURRENT_FIX);
    }

    /** @param fixMaxAge how old a GNSS fix may be and still count as the car's position and speed now */
    public VehicleStatus(VehicleSignals signals, Gnss gnss, double movingSpeedKmh, Clock clock, Duration fixMaxAge) {
        this.signals = Objects.requireNonNull(signals, "signals");
        this.gnss = Objects.requireNonNull(gnss, "gnss");
        this.movingSpeedKmh = movingSpeedKmh;
        this.clock = Objects.requireNonNull(clock, "clock");
        this.fixMaxAge = Objects.requireNonNull(fixMaxAge, "fixMaxAge");
    }

    /** Speed in km/h for telemetry: CAN if known, else the latest GNSS report's, else empty. */
    public Optional<Double> speedKmh() {
        Optional<Double> can = signals.value(Vss.SPEED);
        if (can.isPresent()) {
            return can;
        }
        return gnss.latest().map(GnssFix::speedMps).map(mps -> mps * 3.6);
    }

    /**
     * The latest GNSS fix if it has a position and its time is within {@link #CURRENT_FIX} (or the age
     * given) of the agent's clock, either way; empty without a fix, with a stale one (receiver unplugged,
     * no satellites) or one without a time.
     */
    public Optional<GnssFix> currentFix() {
        Instant now = clock.instant();
        return gnss.latest()
                .filter(GnssFix::hasPosition)
                .filter(f -> f.time() != null && Duration.between(f.time(), now).abs().compareTo(fixMaxAge) <= 0);
    }

    /**
     * The fail-closed reading of speed, shared by the immobiliser interlock and the end-of-rental check.
     * Both sources count when known: the car is {@code MOVING} if either says so (a CAN value frozen at 0
     * while a current fix shows the car driving is not trusted), {@code STATIONARY} only if at least one is
     * known and none moves, else {@code UNKNOWN}.
     */
    public Motion motion() {
        Optional<Double> can = signals.value(Vss.SPEED);
        Optional<Double> fix = currentFix().map(GnssFix::speedMps).map(mps -> mps * 3.6);
        if (can.filter(v -> v > movingSpeedKmh).isPresent() || fix.filter(v -> v > movingSpeedKmh).isPresent()) {
            return Motion.MOVING;
        }
        return can.isPresent() || fix.isPresent() ? Motion.STATIONARY : Motion.UNKNOWN;
    }

    /** Known to be moving (telemetry cadence); unknown speed is not "moving" here, see {@link #motion()}. */
    public boolean isMoving() {
        return motion() == Motion.MOVING;
    }

    public boolean doorsOpen() {
        return DOOR_SIGNALS.stream().anyMatch(name -> signals.value(name).map(v -> v >= 0.5).orElse(false));
    }

    /** For telemetry: on when the signal says so, off when it says so or is missing. */
    public boolean ignitionOn() {
        return ignition().orElse(false);
    }

    /** The ignition as the car reports it; empty when the car has no ignition signal. */
    public Optional<Boolean> ignition() {
        return signals.value(Vss.IGNITION_ON).map(v -> v >= 0.5);
    }

    public VehicleSignals signals() {
        return signals;
    }

    public Gnss gnss() {
        return gnss;
    }
}
