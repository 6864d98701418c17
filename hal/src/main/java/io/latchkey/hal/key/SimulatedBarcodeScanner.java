package io.latchkey.hal.key;

import io.latchkey.hal.Registration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/** The barcode scanner's simulated twin: a test or a virtual phone {@link #show shows} it a code. */
public final class SimulatedBarcodeScanner implements BarcodeScanner {
    private final List<Consumer<String>> listeners = new CopyOnWriteArrayList<>();

    @Override
    public Registration onScan(Consumer<String> listener) {
        listeners.add(listener);
        return () -> listeners.remove(listener);
    }

    /** The scanner reads {@code text}: every listener gets it, on the caller's thread. */
    public void show(String text) {
        listeners.forEach(l -> l.accept(text));
    }

    @Override
    public void close() {
        listeners.clear();
    }
}
