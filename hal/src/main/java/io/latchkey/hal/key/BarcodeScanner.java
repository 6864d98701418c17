package io.latchkey.hal.key;

import io.latchkey.hal.Registration;
import java.util.function.Consumer;

/**
 * A windscreen QR/barcode scanner (docs/offline-keys.md §4): each code it reads, as text. Implemented by the serial
 * scanner driver (hal-drivers) and by {@link SimulatedBarcodeScanner}. A scanner repeats a code it keeps seeing; the
 * listener decides what a repeat means.
 */
public interface BarcodeScanner extends AutoCloseable {
    /** Calls {@code listener} with each text read, on the scanner's thread. */
    Registration onScan(Consumer<String> listener);

    @Override
    void close();
}
