package io.latchkey.simulator.car;

import io.latchkey.hal.gnss.Gnss;
import io.latchkey.hal.gnss.GnssFix;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * A receiver fed by the simulated car with ready-made fixes. Issue 6 replaces this with NMEA
 * sentences from the model decoded by the HAL's real NMEA parser.
 */
public final class SimulatedGnss implements Gnss {
    private final List<Consumer<GnssFix>> listeners = new CopyOnWriteArrayList<>();
    private volatile GnssFix latest;

    /** Reports a fix as a receiver would, firing listeners. */
    public void report(GnssFix fix) {
        latest = fix;
        listeners.forEach(l -> l.accept(fix));
    }

    @Override
    public Optional<GnssFix> latest() {
        return Optional.ofNullable(latest);
    }

    @Override
    public void addListener(Consumer<GnssFix> listener) {
        listeners.add(listener);
    }
}
