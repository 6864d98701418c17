package io.latchkey.hal.vehicle;

import io.latchkey.hal.Registration;

import java.util.Map;
import java.util.Optional;
import java.util.function.BiConsumer;

/**
 * The car's own signals by VSS name, as decoded from its CAN bus (DBC profile or OBD-II) or produced
 * by the simulator. Numbers are in VSS units (km/h, km, percent, volts); booleans are 0 or 1.
 */
public interface VehicleSignals {
    Optional<Double> value(String vssName);

    /** All signals seen so far with their latest value. */
    Map<String, Double> snapshot();

    /** Called with (name, value) whenever a signal's value changes. */
    Registration addListener(BiConsumer<String, Double> listener);
}
