package io.latchkey.agent.journal;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Strings that recur in every record (signal names, reasons), stored as a one-byte code instead of
 * 40 bytes of text. This table is part of the file format: entries may be appended, never reordered
 * or removed, or old journals would decode to the wrong names. A string not in the table is stored
 * inline, so the table is an optimisation, never a restriction.
 */
final class WellKnownStrings {
    /** Code {@code i + 1} stands for {@code TABLE.get(i)}; code 0 means "inline text follows". */
    static final List<String> TABLE = List.of(
            "PERIODIC", "START", "LOCK", "DOOR", "IGNITION", "KEY", "TAMPER", "LOW_VOLTAGE",
            "Vehicle.Speed",
            "Vehicle.TraveledDistance",
            "Vehicle.Powertrain.FuelSystem.RelativeLevel",
            "Vehicle.Powertrain.TractionBattery.StateOfCharge.Current",
            "Vehicle.Cabin.Door.Row1.DriverSide.IsOpen",
            "Vehicle.Cabin.Door.Row1.PassengerSide.IsOpen",
            "Vehicle.Cabin.Door.Row2.DriverSide.IsOpen",
            "Vehicle.Cabin.Door.Row2.PassengerSide.IsOpen",
            "Vehicle.Body.Trunk.Rear.IsOpen",
            "Vehicle.Cabin.Door.Row1.DriverSide.IsLocked",
            "Vehicle.LowVoltageSystemState",
            "Vehicle.Powertrain.CombustionEngine.Speed",
            "Vehicle.LowVoltageBattery.CurrentVoltage",
            "Vehicle.Cabin.IsKeyInHolder",
            "Vehicle.Body.IsTampered",
            "Vehicle.IsImmobilized");

    private static final Map<String, Integer> CODES = new HashMap<>();

    static {
        for (int i = 0; i < TABLE.size(); i++) {
            CODES.put(TABLE.get(i), i + 1);
        }
    }

    private WellKnownStrings() {
    }

    /** The code of {@code s}, or 0 when it must be written inline. */
    static int codeOf(String s) {
        return CODES.getOrDefault(s, 0);
    }

    /** The string for a code greater than 0; null for a code this version does not know. */
    static String forCode(int code) {
        return code >= 1 && code <= TABLE.size() ? TABLE.get(code - 1) : null;
    }
}
