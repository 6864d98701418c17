package io.latchkey.hal.gpio.pi4j;

import com.pi4j.io.gpio.digital.DigitalState;
import io.latchkey.hal.HalException;
import io.latchkey.hal.gpio.DigitalOutput;
import java.util.Objects;

/**
 * hal's {@link DigitalOutput} on a Pi4J output pin. {@code on} is logical: with an active-low relay
 * board (most cheap ones) "on" drives the pin low. Pi4J errors become {@link HalException}s.
 */
public final class Pi4jDigitalOutput implements DigitalOutput {
    private final com.pi4j.io.gpio.digital.DigitalOutput pin;
    private final boolean activeHigh;
    private volatile boolean on;

    public Pi4jDigitalOutput(com.pi4j.io.gpio.digital.DigitalOutput pin, boolean activeHigh) {
        this.pin = Objects.requireNonNull(pin, "pin");
        this.activeHigh = activeHigh;
    }

    @Override
    public synchronized void set(boolean value) {
        try {
            pin.state(value == activeHigh ? DigitalState.HIGH : DigitalState.LOW);
        } catch (RuntimeException e) {
            throw new HalException("GPIO " + pin.id() + ": cannot drive " + (value ? "on" : "off") + ": " + e.getMessage(), e);
        }
        on = value;
    }

    @Override
    public boolean isOn() {
        return on;
    }

    @Override
    public String name() {
        return pin.id();
    }

    /** The level on the pin as Pi4J reports it, for self-tests. */
    public boolean isHigh() {
        return pin.state() == DigitalState.HIGH;
    }
}
