package io.latchkey.cloud.live;

import io.latchkey.cloud.car.CarState;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import java.time.Instant;

/**
 * A car's latest state after a change, as the stream sends it.
 *
 * @param source     what changed it: {@code telemetry}, {@code device} (the retained device state, online or
 *                   offline) or {@code command} (a command's answer moved the lock)
 * @param state      the car's whole latest state after the change
 * @param readings   fuel, state of charge and battery voltage of the telemetry record, when it carried them
 * @param recordedAt when the car took the record (device clock), for telemetry; else when the backend received it
 */
@Serdeable
public record LiveState(String carId, String source, CarState state, @Nullable Readings readings, Instant recordedAt) {
    public static final String TELEMETRY = "telemetry";
    public static final String DEVICE = "device";
    public static final String COMMAND = "command";

    /**
     * Values the fleet shows from a telemetry record's VSS signals; null when the record did not carry them.
     *
     * @param fuelPercent    {@code Vehicle.Powertrain.FuelSystem.RelativeLevel}, %
     * @param socPercent     {@code Vehicle.Powertrain.TractionBattery.StateOfCharge.Current}, %
     * @param batteryVoltage {@code Vehicle.LowVoltageBattery.CurrentVoltage}, V
     */
    @Serdeable
    public record Readings(@Nullable Double fuelPercent, @Nullable Double socPercent, @Nullable Double batteryVoltage) {
        public static final String FUEL = "Vehicle.Powertrain.FuelSystem.RelativeLevel";
        public static final String SOC = "Vehicle.Powertrain.TractionBattery.StateOfCharge.Current";
        public static final String VOLTAGE = "Vehicle.LowVoltageBattery.CurrentVoltage";
        public static final Readings NONE = new Readings(null, null, null);

        /** The readings among VSS signals, or null when none is there. */
        public static @Nullable Readings of(@Nullable java.util.Map<String, Double> signals) {
            if (signals == null) {
                return null;
            }
            Readings r = new Readings(signals.get(FUEL), signals.get(SOC), signals.get(VOLTAGE));
            return r.equals(NONE) ? null : r;
        }

        /** These readings, each missing one taken from {@code older}. */
        public Readings over(@Nullable Readings older) {
            if (older == null) {
                return this;
            }
            return new Readings(fuelPercent != null ? fuelPercent : older.fuelPercent,
                    socPercent != null ? socPercent : older.socPercent,
                    batteryVoltage != null ? batteryVoltage : older.batteryVoltage);
        }
    }
}
