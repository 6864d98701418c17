package io.latchkey.hal.vehicle;

import io.latchkey.hal.gpio.DigitalInput;
import io.latchkey.hal.vehicle.MutableVehicleSignals;

/** Mirrors a digital input into a vehicle signal (1 active, 0 not), now and on every change. */
public final class InputSignals {
    private InputSignals() {
    }

    public static void bind(DigitalInput input, String signal, MutableVehicleSignals target) {
        target.update(signal, input.isActive() ? 1 : 0);
        input.addListener(active -> target.update(signal, active ? 1 : 0));
    }
}
