package io.latchkey.hal.gpio;

import io.latchkey.hal.Registration;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/** A simulated input line, driven by the simulated car; fires the same change events as a real pin. */
public final class SimulatedDigitalInput implements DigitalInput {
    private final String name;
    private final AtomicBoolean active;
    private final List<Consumer<Boolean>> listeners = new CopyOnWriteArrayList<>();

    public SimulatedDigitalInput(String name, boolean initiallyActive) {
        this.name = name;
        this.active = new AtomicBoolean(initiallyActive);
    }

    /** Sets the line as the car's wiring would, firing listeners on a change. */
    public void drive(boolean value) {
        if (active.getAndSet(value) != value) {
            listeners.forEach(l -> l.accept(value));
        }
    }

    @Override
    public boolean isActive() {
        return active.get();
    }

    @Override
    public Registration addListener(Consumer<Boolean> listener) {
        listeners.add(listener);
        return () -> listeners.remove(listener);
    }

    @Override
    public String name() {
        return name;
    }
}
