package io.latchkey.hal.can.dbc;

import io.latchkey.hal.can.CanFrame;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.OptionalDouble;

/**
 * A frame decoded against its DBC message. Signals are addressed by their index in
 * {@code message().signals()} (fast) or by name. Multiplexed signals whose multiplexor value is not
 * the frame's are absent.
 */
public final class DecodedMessage implements DecodeResult {
    private final DbcMessage message;
    private final CanFrame frame;
    private final long[] raw;
    private final double[] values;
    private final boolean[] present;

    DecodedMessage(DbcMessage message, CanFrame frame, long[] raw, double[] values, boolean[] present) {
        this.message = message;
        this.frame = frame;
        this.raw = raw;
        this.values = values;
        this.present = present;
    }

    public DbcMessage message() {
        return message;
    }

    @Override
    public CanFrame frame() {
        return frame;
    }

    public boolean isPresent(int signalIndex) {
        return present[signalIndex];
    }

    /** The physical value ({@code raw * factor + offset}); NaN for an absent signal. */
    public double value(int signalIndex) {
        return present[signalIndex] ? values[signalIndex] : Double.NaN;
    }

    public long raw(int signalIndex) {
        return raw[signalIndex];
    }

    public OptionalDouble value(String signalName) {
        int i = message.indexOf(signalName);
        return i >= 0 && present[i] ? OptionalDouble.of(values[i]) : OptionalDouble.empty();
    }

    /** The value-table text of a signal's raw value, or null. */
    public String label(int signalIndex) {
        return present[signalIndex] ? message.signals().get(signalIndex).label(raw[signalIndex]) : null;
    }

    /** Present signals' physical values, in DBC order. */
    public Map<String, Double> values() {
        Map<String, Double> map = new LinkedHashMap<>();
        for (int i = 0; i < values.length; i++) {
            if (present[i]) {
                map.put(message.signals().get(i).name(), values[i]);
            }
        }
        return map;
    }

    /** Present signals' value-table texts, for the signals that have one for their value. */
    public Map<String, String> labels() {
        Map<String, String> map = new LinkedHashMap<>();
        for (int i = 0; i < values.length; i++) {
            String label = label(i);
            if (label != null) {
                map.put(message.signals().get(i).name(), label);
            }
        }
        return map;
    }

    @Override
    public String toString() {
        return message.name() + values();
    }
}
