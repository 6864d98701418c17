package io.latchkey.hal.vehicle;

import io.latchkey.hal.Registration;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BiConsumer;

/** The signal table that decoders write into and the agent reads from. Thread-safe. */
public final class MutableVehicleSignals implements VehicleSignals {
    private final Map<String, Double> values = new ConcurrentHashMap<>();
    private final List<BiConsumer<String, Double>> listeners = new CopyOnWriteArrayList<>();

    public void update(String vssName, double value) {
        Double previous = values.put(vssName, value);
        if (previous == null || previous != value) {
            listeners.forEach(l -> l.accept(vssName, value));
        }
    }

    @Override
    public Optional<Double> value(String vssName) {
        return Optional.ofNullable(values.get(vssName));
    }

    @Override
    public Map<String, Double> snapshot() {
        return new TreeMap<>(values);
    }

    @Override
    public Registration addListener(BiConsumer<String, Double> listener) {
        listeners.add(listener);
        return () -> listeners.remove(listener);
    }
}
