package io.latchkey.hal.can.dbc;

import java.util.List;
import java.util.Optional;

/**
 * One {@code BO_} message.
 *
 * @param size       the DLC the DBC declares, in bytes
 * @param signals    in file order
 * @param lineNumber where the message is defined
 */
public record DbcMessage(int id, boolean extended, String name, int size, String transmitter, List<DbcSignal> signals,
                         int lineNumber) {
    public DbcMessage {
        signals = List.copyOf(signals);
    }

    public Optional<DbcSignal> signal(String signalName) {
        return signals.stream().filter(s -> s.name().equals(signalName)).findFirst();
    }

    /** The index of a signal in {@link #signals()}, or -1. */
    public int indexOf(String signalName) {
        for (int i = 0; i < signals.size(); i++) {
            if (signals.get(i).name().equals(signalName)) {
                return i;
            }
        }
        return -1;
    }

    public Optional<DbcSignal> multiplexor() {
        return signals.stream().filter(DbcSignal::multiplexor).findFirst();
    }
}
