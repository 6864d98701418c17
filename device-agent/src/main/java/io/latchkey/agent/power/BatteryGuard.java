package io.latchkey.agent.power;

import io.latchkey.agent.events.DeviceEvents;
import io.latchkey.agent.telemetry.TelemetryLoop;
import io.latchkey.hal.power.SupplyVoltage;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalDouble;

/**
 * Battery protection: below {@code lowVolts} the parked telemetry interval stretches to
 * {@code lowPowerInterval} and a {@code LOW_VOLTAGE} event is sent; at or above {@code recoverVolts}
 * (a little higher, so that a voltage hovering at the threshold does not flap) the normal interval
 * returns with a {@code VOLTAGE_OK} event. An unknown reading changes nothing. {@link #check()} runs on
 * the agent's timer.
 */
public final class BatteryGuard {
    public static final String LOW_VOLTAGE = "LOW_VOLTAGE";
    public static final String VOLTAGE_OK = "VOLTAGE_OK";

    private final SupplyVoltage supply;
    private final TelemetryLoop telemetry;
    private final DeviceEvents events;
    private final double lowVolts;
    private final double recoverVolts;
    private final Duration lowPowerInterval;
    private boolean low;
    private Double lastVolts;

    public BatteryGuard(SupplyVoltage supply, TelemetryLoop telemetry, DeviceEvents events, double lowVolts,
                        double recoverVolts, Duration lowPowerInterval) {
        this.supply = Objects.requireNonNull(supply, "supply");
        this.telemetry = Objects.requireNonNull(telemetry, "telemetry");
        this.events = Objects.requireNonNull(events, "events");
        this.lowVolts = lowVolts;
        this.recoverVolts = recoverVolts;
        this.lowPowerInterval = Objects.requireNonNull(lowPowerInterval, "lowPowerInterval");
    }

    public synchronized void check() {
        OptionalDouble reading = supply.volts();
        if (reading.isEmpty()) {
            return;
        }
        double v = reading.getAsDouble();
        lastVolts = v;
        if (!low && v < lowVolts) {
            low = true;
            telemetry.lowPower(lowPowerInterval);
            events.publish(LOW_VOLTAGE, Map.of("volts", String.format("%.2f", v), "threshold", Double.toString(lowVolts),
                    "parkedInterval", lowPowerInterval.toString()));
        } else if (low && v >= recoverVolts) {
            low = false;
            telemetry.lowPower(null);
            events.publish(VOLTAGE_OK, Map.of("volts", String.format("%.2f", v)));
        }
    }

    public synchronized boolean isLow() {
        return low;
    }

    /** The last reading, or null if none yet. */
    public synchronized Double lastVolts() {
        return lastVolts;
    }
}
