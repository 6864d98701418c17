package io.latchkey.hal.gpio;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * A simulated output line. The simulated car wiring listens to it as a real actuator would listen to
 * the relay; tests read how many times it was energised.
 */
public final class SimulatedDigitalOutput implements DigitalOutput {
    private final String name;
    private final AtomicBoolean on = new AtomicBoolean();
    private final AtomicLong activations = new AtomicLong();
    private final List<Consumer<Boolean>> listeners = new CopyOnWriteArrayList<>();

    public SimulatedDigitalOutput(String name) {
        this.name = name;
    }

    @Override
    public void set(boolean value) {
        boolean previous = on.getAndSet(value);
        if (previous != value) {
            if (value) {
                activations.incrementAndGet();
            }
            listeners.forEach(l -> l.accept(value));
        }
    }

    @Override
    public boolean isOn() {
        return on.get();
    }

    @Override
    public String name() {
        return name;
    }

    /** What the wiring on the other side of the relay sees. */
    public void onChange(Consumer<Boolean> listener) {
        listeners.add(listener);
    }

    /** How many times the line went from off to on. */
    public long activations() {
        return activations.get();
    }
}
