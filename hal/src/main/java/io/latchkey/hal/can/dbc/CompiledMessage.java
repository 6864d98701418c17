package io.latchkey.hal.can.dbc;

import java.util.List;

/**
 * A message's signals flattened into parallel primitive arrays: the decoder's inner loop touches no
 * objects but the frame, which is what keeps it well above a million frames a second.
 */
final class CompiledMessage {
    static final long ALWAYS = Long.MIN_VALUE;

    final DbcMessage message;
    final int count;
    final boolean[] bigEndian;
    final int[] shift;
    final long[] mask;
    /** 64 - length for signed integer signals (shift left then arithmetic right), 0 otherwise. */
    final int[] signShift;
    final ValueType[] valueType;
    final double[] factor;
    final double[] offset;
    /** The multiplexor raw value a signal needs, or {@link #ALWAYS}. */
    final long[] selector;
    /** Index of the multiplexor signal, or -1. */
    final int multiplexor;

    CompiledMessage(DbcMessage message) {
        this.message = message;
        List<DbcSignal> signals = message.signals();
        count = signals.size();
        bigEndian = new boolean[count];
        shift = new int[count];
        mask = new long[count];
        signShift = new int[count];
        valueType = new ValueType[count];
        factor = new double[count];
        offset = new double[count];
        selector = new long[count];
        int mux = -1;
        for (int i = 0; i < count; i++) {
            DbcSignal s = signals.get(i);
            BitLayout layout = BitLayout.of(s.startBit(), s.length(), s.byteOrder());
            bigEndian[i] = layout.bigEndian;
            shift[i] = layout.shift;
            mask[i] = layout.mask;
            signShift[i] = s.signed() && s.valueType() == ValueType.INTEGER ? 64 - s.length() : 0;
            valueType[i] = s.valueType();
            factor[i] = s.factor();
            offset[i] = s.offset();
            selector[i] = s.isMultiplexed() ? s.multiplexerValue() : ALWAYS;
            if (s.multiplexor()) {
                mux = i;
            }
        }
        multiplexor = mux;
    }

    long raw(int i, long littleEndianWord, long bigEndianWord) {
        long raw = ((bigEndian[i] ? bigEndianWord : littleEndianWord) >>> shift[i]) & mask[i];
        return signShift[i] == 0 ? raw : (raw << signShift[i]) >> signShift[i];
    }

    double physical(int i, long raw) {
        double value = switch (valueType[i]) {
            case FLOAT32 -> Float.intBitsToFloat((int) raw);
            case FLOAT64 -> Double.longBitsToDouble(raw);
            case INTEGER -> signShift[i] != 0 || raw >= 0 ? (double) raw : unsignedToDouble(raw);
        };
        return value * factor[i] + offset[i];
    }

    private static double unsignedToDouble(long raw) {
        return (raw >>> 1) * 2.0 + (raw & 1);
    }
}
