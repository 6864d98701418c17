package io.latchkey.hal.can.dbc;

import io.latchkey.hal.can.CanFrame;
import java.util.HashMap;
import java.util.Map;

/**
 * Decodes frames against a {@link DbcDatabase}. Thread-safe; build one per database and keep it, since
 * building compiles every message's bit layout.
 */
public final class DbcDecoder {
    /** Standard ids index an array directly; extended ids, rarer on cars' body buses, a map. */
    private final CompiledMessage[] standard = new CompiledMessage[CanFrame.MAX_STANDARD_ID + 1];
    private final Map<Integer, CompiledMessage> extended = new HashMap<>();

    public DbcDecoder(DbcDatabase database) {
        for (DbcMessage m : database.messages()) {
            CompiledMessage compiled = new CompiledMessage(m);
            if (m.extended()) {
                extended.put(m.id(), compiled);
            } else {
                standard[m.id()] = compiled;
            }
        }
    }

    public DecodeResult decode(CanFrame frame) {
        CompiledMessage m = frame.extended() ? extended.get(frame.id()) : standard[frame.id()];
        if (m == null) {
            return new DecodeResult.Rejected(frame, DecodeResult.Reason.UNKNOWN_ID, null);
        }
        if (frame.remote()) {
            return new DecodeResult.Rejected(frame, DecodeResult.Reason.REMOTE_FRAME, m.message);
        }
        if (frame.length() != m.message.size()) {
            return new DecodeResult.Rejected(frame, DecodeResult.Reason.WRONG_LENGTH, m.message);
        }
        long le = frame.payloadLittleEndian();
        long be = frame.payloadBigEndian();
        long selected = m.multiplexor >= 0 ? m.raw(m.multiplexor, le, be) : CompiledMessage.ALWAYS;
        long[] raw = new long[m.count];
        double[] values = new double[m.count];
        boolean[] present = new boolean[m.count];
        for (int i = 0; i < m.count; i++) {
            if (m.selector[i] != CompiledMessage.ALWAYS && m.selector[i] != selected) {
                continue;
            }
            raw[i] = m.raw(i, le, be);
            values[i] = m.physical(i, raw[i]);
            present[i] = true;
        }
        return new DecodedMessage(m.message, frame, raw, values, present);
    }
}
