package io.latchkey.agent.journal;

import io.latchkey.protocol.LockState;
import io.latchkey.protocol.telemetry.TelemetryRecord;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;

/** Telemetry records as a parked or driving car takes them. */
final class Records {
    private Records() {
    }

    /** A typical record: a 3D fix, speed, odometer, locks, and two further signals. */
    static TelemetryRecord typical(long seq) {
        Map<String, Double> signals = new TreeMap<>();
        signals.put("Vehicle.Powertrain.FuelSystem.RelativeLevel", 63.0 - seq % 50);
        signals.put("Vehicle.LowVoltageBattery.CurrentVoltage", 12.6);
        return new TelemetryRecord(seq, Instant.parse("2026-11-23T17:00:00Z").plusSeconds(10 * seq),
                52.520008 + seq * 1e-6, 13.404954 - seq * 1e-6, 0.0, 12034.5 + seq * 0.01,
                LockState.LOCKED, false, false, 3, signals, "PERIODIC");
    }
}
