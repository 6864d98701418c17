package io.latchkey.hal.can.dbc;

import io.latchkey.hal.can.CanFrame;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/**
 * Builds frames from physical signal values, the inverse of {@link DbcDecoder}: the simulator uses it
 * so that the agent's real decoder runs on what it produces. Values are rounded to the nearest raw step.
 * Signals not given are sent as raw 0. Thread-safe.
 */
public final class DbcEncoder {
    private final Map<String, CompiledMessage> byName = new HashMap<>();

    public DbcEncoder(DbcDatabase database) {
        database.messages().forEach(m -> byName.put(m.name(), new CompiledMessage(m)));
    }

    /** See {@link #encode(String, Map, Instant)}; the frame has no timestamp. */
    public CanFrame encode(String messageName, Map<String, ?> values) {
        return encode(messageName, values, null);
    }

    /**
     * @param values signal name to a physical value ({@link Number}) or a value-table label
     *               ({@link String}). Multiplexed signals need the multiplexor's value, given or implied
     *               by the multiplexed signals themselves.
     * @throws IllegalArgumentException for an unknown message, signal or label, a value the signal cannot
     *                                  hold, or multiplexed signals of different multiplexor values
     */
    public CanFrame encode(String messageName, Map<String, ?> values, Instant timestamp) {
        CompiledMessage m = byName.get(messageName);
        if (m == null) {
            throw new IllegalArgumentException("no message " + messageName + " in the DBC");
        }
        long[] raw = new long[m.count];
        boolean[] given = new boolean[m.count];
        for (Map.Entry<String, ?> e : values.entrySet()) {
            int i = m.message.indexOf(e.getKey());
            if (i < 0) {
                throw new IllegalArgumentException("message " + messageName + " has no signal " + e.getKey());
            }
            raw[i] = rawValue(m, i, e.getValue());
            given[i] = true;
        }
        resolveMultiplexor(m, raw, given);
        long le = 0;
        long be = 0;
        for (int i = 0; i < m.count; i++) {
            boolean active = m.selector[i] == CompiledMessage.ALWAYS
                    || (m.multiplexor >= 0 && m.selector[i] == raw[m.multiplexor]);
            if (!active) {
                continue;
            }
            long bits = (raw[i] & m.mask[i]) << m.shift[i];
            if (m.bigEndian[i]) {
                be |= bits;
            } else {
                le |= bits;
            }
        }
        byte[] data = new byte[m.message.size()];
        for (int k = 0; k < data.length; k++) {
            data[k] = (byte) ((le >>> (8 * k)) | (be >>> (56 - 8 * k)));
        }
        return CanFrame.data(m.message.id(), m.message.extended(), data, timestamp);
    }

    private static void resolveMultiplexor(CompiledMessage m, long[] raw, boolean[] given) {
        Long implied = null;
        for (int i = 0; i < m.count; i++) {
            if (given[i] && m.selector[i] != CompiledMessage.ALWAYS) {
                if (implied != null && implied != m.selector[i]) {
                    throw new IllegalArgumentException(m.message.name() + ": signals of multiplexor values " + implied
                            + " and " + m.selector[i] + " cannot be in one frame");
                }
                implied = m.selector[i];
            }
        }
        if (implied == null) {
            return;
        }
        if (given[m.multiplexor] && raw[m.multiplexor] != implied) {
            throw new IllegalArgumentException(m.message.name() + ": multiplexor is " + raw[m.multiplexor]
                    + " but the signals given need " + implied);
        }
        raw[m.multiplexor] = implied;
    }

    private static long rawValue(CompiledMessage m, int i, Object value) {
        DbcSignal signal = m.message.signals().get(i);
        if (value instanceof String label) {
            return signal.valueLabels().entrySet().stream().filter(e -> e.getValue().equals(label)).map(Map.Entry::getKey)
                    .findFirst().orElseThrow(() -> new IllegalArgumentException("signal " + signal.name()
                            + " has no label '" + label + "'"));
        }
        if (!(value instanceof Number number)) {
            throw new IllegalArgumentException("signal " + signal.name() + ": value must be a number or a label");
        }
        return toRaw(signal, number.doubleValue());
    }

    /** The raw value for a physical one, rounded to the nearest step, or why the signal cannot hold it. */
    public static long toRaw(DbcSignal signal, double physical) {
        double scaled = (physical - signal.offset()) / signal.factor();
        switch (signal.valueType()) {
            case FLOAT32:
                return Float.floatToRawIntBits((float) scaled) & 0xFFFF_FFFFL;
            case FLOAT64:
                return Double.doubleToRawLongBits(scaled);
            default:
                break;
        }
        double rounded = Math.rint(scaled);
        int n = signal.length();
        double min = signal.signed() ? -Math.pow(2, n - 1) : 0;
        double max = signal.signed() ? Math.pow(2, n - 1) - 1 : Math.pow(2, n) - 1;
        if (!(rounded >= min && rounded <= max)) {
            throw new IllegalArgumentException(String.format("signal %s cannot hold %s: physical range is %s..%s",
                    signal.name(), physical, min * signal.factor() + signal.offset(), max * signal.factor() + signal.offset()));
        }
        if (!signal.signed() && n == 64 && rounded >= 0x1p63) {
            return (long) (rounded - 0x1p63) ^ Long.MIN_VALUE;
        }
        return (long) rounded;
    }
}
