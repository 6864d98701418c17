package io.latchkey.hal.gpio.pi4j;

import io.latchkey.hal.Registration;

import com.pi4j.io.gpio.digital.DigitalState;
import io.latchkey.hal.gpio.DigitalInput;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * hal's {@link DigitalInput} on a Pi4J input pin: {@code active} is logical (an active-low contact
 * reads active when the pin is low), and Pi4J's change events become hal's listener calls, once per
 * logical change. A listener that throws is logged and does not stop the others.
 */
public final class Pi4jDigitalInput implements DigitalInput {
    private static final Logger LOG = LoggerFactory.getLogger(Pi4jDigitalInput.class);

    private final com.pi4j.io.gpio.digital.DigitalInput pin;
    private final boolean activeHigh;
    private final List<Consumer<Boolean>> listeners = new CopyOnWriteArrayList<>();

    public Pi4jDigitalInput(com.pi4j.io.gpio.digital.DigitalInput pin, boolean activeHigh) {
        this.pin = Objects.requireNonNull(pin, "pin");
        this.activeHigh = activeHigh;
        pin.addListener(event -> fire(active(event.state())));
    }

    @Override
    public boolean isActive() {
        return active(pin.state());
    }

    @Override
    public Registration addListener(Consumer<Boolean> listener) {
        listeners.add(Objects.requireNonNull(listener, "listener"));
        return () -> listeners.remove(listener);
    }

    @Override
    public String name() {
        return pin.id();
    }

    private boolean active(DigitalState state) {
        return (state == DigitalState.HIGH) == activeHigh;
    }

    private void fire(boolean active) {
        for (Consumer<Boolean> l : listeners) {
            try {
                l.accept(active);
            } catch (RuntimeException e) {
                LOG.warn("GPIO {}: listener failed: {}", pin.id(), e.toString());
            }
        }
    }
}
