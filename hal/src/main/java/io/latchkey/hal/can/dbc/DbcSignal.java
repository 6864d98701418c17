package io.latchkey.hal.can.dbc;

import java.util.List;
import java.util.Map;

/**
 * One {@code SG_} line: where a signal's bits are and how raw becomes physical
 * ({@code physical = raw * factor + offset}).
 *
 * @param minimum          as written; many real files write {@code [0|0]}, so do not validate against it
 * @param multiplexor      true for the {@code M} signal that selects which multiplexed signals are present
 * @param multiplexerValue for an {@code mN} signal, N: present only when the multiplexor's raw value is N;
 *                         null for signals that are always present
 * @param valueLabels      raw value to text, from {@code VAL_}
 * @param lineNumber       where the signal is defined, for messages about it
 */
public record DbcSignal(String name, int startBit, int length, ByteOrder byteOrder, boolean signed, ValueType valueType,
                        double factor, double offset, double minimum, double maximum, String unit, List<String> receivers,
                        boolean multiplexor, Long multiplexerValue, Map<Long, String> valueLabels, int lineNumber) {
    public DbcSignal {
        receivers = List.copyOf(receivers);
        valueLabels = Map.copyOf(valueLabels);
    }

    public boolean isMultiplexed() {
        return multiplexerValue != null;
    }

    /** The label of a raw value, or null. */
    public String label(long raw) {
        return valueLabels.get(raw);
    }
}
