package io.latchkey.hal.can.dbc;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A message being read; its signals come on the lines after its {@code BO_}. */
final class MessageBuilder {
    final int id;
    final boolean extended;
    final String name;
    final int size;
    final String transmitter;
    final int line;
    final Map<String, SignalBuilder> signals = new LinkedHashMap<>();

    MessageBuilder(int id, boolean extended, String name, int size, String transmitter, int line) {
        this.id = id;
        this.extended = extended;
        this.name = name;
        this.size = size;
        this.transmitter = transmitter;
        this.line = line;
    }

    DbcMessage build(String source, List<String> warnings) {
        long multiplexors = signals.values().stream().filter(s -> s.multiplexor).count();
        boolean multiplexed = signals.values().stream().anyMatch(s -> s.multiplexerValue != null);
        if (multiplexors > 1) {
            throw new DbcParseException(source, line, "message " + name + " has " + multiplexors + " multiplexor signals");
        }
        if (multiplexed && multiplexors == 0) {
            throw new DbcParseException(source, line, "message " + name + " has multiplexed signals but no multiplexor (M)");
        }
        List<DbcSignal> built = new ArrayList<>();
        for (SignalBuilder s : signals.values()) {
            if (BitLayout.lastByte(s.startBit, s.length, s.byteOrder) >= size) {
                warnings.add(source + ":" + s.line + ": signal " + s.name + " reaches past the " + size + "-byte message "
                        + name);
            }
            built.add(s.build());
        }
        return new DbcMessage(id, extended, name, size, transmitter, built, line);
    }
}
