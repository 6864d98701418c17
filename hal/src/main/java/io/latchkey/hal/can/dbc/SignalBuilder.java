package io.latchkey.hal.can.dbc;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A signal being read: its {@code SG_} line first, labels and value type from later lines. */
final class SignalBuilder {
    int line;
    String name;
    int startBit;
    int length;
    ByteOrder byteOrder;
    boolean signed;
    ValueType valueType = ValueType.INTEGER;
    double factor;
    double offset;
    double minimum;
    double maximum;
    String unit;
    List<String> receivers;
    boolean multiplexor;
    Long multiplexerValue;
    final Map<Long, String> labels = new LinkedHashMap<>();

    DbcSignal build() {
        return new DbcSignal(name, startBit, length, byteOrder, signed, valueType, factor, offset, minimum, maximum, unit,
                receivers, multiplexor, multiplexerValue, labels, line);
    }
}
