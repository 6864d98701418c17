package io.latchkey.simulator.power;

import io.latchkey.agent.power.PowerState;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;

/**
 * A car's 12 V lead-acid battery for the simulator: a capacity, a state of charge, and what draws on it. Parked, the
 * car's own electronics ({@code carParasiticMa}, 20 to 50 mA in a modern car) and the Latchkey device at the
 * quiescent current of its power state; driving, the alternator recharges it at {@code chargeA} (times a charge
 * efficiency) while the device runs in {@code NORMAL}. The resting (open-circuit) voltage follows the state of charge
 * along the usual table for a flooded battery at 25 °C (12.73 V full, 12.45 V at 75 %, 12.24 V at 50 %, 12.06 V at
 * 25 %, 11.89 V empty); the supply reads the alternator's 14.2 V while driving. The car still starts while the
 * resting voltage is at or above {@link #START_VOLTS}.
 */
public final class BatteryModel {
    /** The resting voltage at or above which the model says the car starts (about 25 % charge). */
    public static final double START_VOLTS = 12.0;
    public static final double CHARGING_VOLTS = 14.2;
    private static final double[] SOC = {0.0, 0.25, 0.50, 0.75, 1.0};
    private static final double[] VOLTS = {11.89, 12.06, 12.24, 12.45, 12.73};

    /**
     * @param capacityAh      the battery's capacity (a small car's 50 to 70 Ah)
     * @param carParasiticMa  the car's own draw when parked, mA
     * @param deviceMa        the device's draw at 12 V in each power state, mA
     * @param chargeA         the alternator's charging current while driving, A
     * @param chargeEfficiency the share of the charging current that stays in the battery
     */
    public record Spec(double capacityAh, double carParasiticMa, Map<PowerState, Double> deviceMa, double chargeA,
                       double chargeEfficiency) {
        public Spec {
            deviceMa = Map.copyOf(new EnumMap<>(deviceMa));
            for (PowerState s : PowerState.values()) {
                if (!deviceMa.containsKey(s)) {
                    throw new IllegalArgumentException("no device current for " + s);
                }
            }
        }

        /**
         * The model's defaults: a 60 Ah battery, a car drawing 30 mA parked, the device (a Pi Zero 2 W, an LTE
         * modem, a GNSS receiver, behind an 85 % buck converter) at 90 mA in NORMAL, 60 mA in ECONOMY (modem idle,
         * reports every 30 min), 25 mA in SLEEP (modem and GNSS off, Pi idle) and 1 mA in PROTECT (Pi halted; the
         * ADC and the power latch), charged at 10 A while driving with 85 % efficiency. Assumptions of the model,
         * not measurements of a kit (docs/benchmarks.md).
         */
        public static Spec defaults() {
            return new Spec(60, 30, Map.of(PowerState.NORMAL, 90.0, PowerState.ECONOMY, 60.0, PowerState.SLEEP, 25.0,
                    PowerState.PROTECT, 1.0), 10, 0.85);
        }
    }

    private final Spec spec;
    private double chargeAh;
    private double drawnAh;
    private final Map<PowerState, Double> deviceAh = new EnumMap<>(PowerState.class);

    public BatteryModel(Spec spec, double stateOfCharge) {
        this.spec = Objects.requireNonNull(spec, "spec");
        this.chargeAh = clamp(stateOfCharge) * spec.capacityAh();
        for (PowerState s : PowerState.values()) {
            deviceAh.put(s, 0.0);
        }
    }

    /** {@code dt} passes: parked (the car's and the device's draw) or driving (the alternator recharges). */
    public synchronized void step(Duration dt, boolean driving, PowerState deviceState) {
        double hours = dt.toNanos() / 3.6e12;
        double device = spec.deviceMa().get(deviceState) / 1000.0 * hours;
        deviceAh.merge(deviceState, device, Double::sum);
        if (driving) {
            chargeAh = Math.min(spec.capacityAh(), chargeAh + spec.chargeA() * spec.chargeEfficiency() * hours);
        } else {
            double out = device + spec.carParasiticMa() / 1000.0 * hours;
            drawnAh += out;
            chargeAh = Math.max(0, chargeAh - out);
        }
    }

    public synchronized double stateOfCharge() {
        return chargeAh / spec.capacityAh();
    }

    /** The open-circuit voltage for the present state of charge. */
    public synchronized double restingVolts() {
        double soc = stateOfCharge();
        for (int i = 1; i < SOC.length; i++) {
            if (soc <= SOC[i]) {
                double f = (soc - SOC[i - 1]) / (SOC[i] - SOC[i - 1]);
                return VOLTS[i - 1] + f * (VOLTS[i] - VOLTS[i - 1]);
            }
        }
        return VOLTS[VOLTS.length - 1];
    }

    /** What the device's ADC would read: the alternator's voltage while driving, else the resting voltage. */
    public double supplyVolts(boolean driving) {
        return driving ? CHARGING_VOLTS : restingVolts();
    }

    public boolean wouldStart() {
        return restingVolts() >= START_VOLTS;
    }

    /** Ah drawn by the device in each power state so far. */
    public synchronized Map<PowerState, Double> deviceAh() {
        return Map.copyOf(deviceAh);
    }

    public Spec spec() {
        return spec;
    }

    private static double clamp(double soc) {
        if (soc < 0 || soc > 1) {
            throw new IllegalArgumentException("state of charge must be within 0..1, got " + soc);
        }
        return soc;
    }
}
