package io.latchkey.agent.journal;

import java.nio.charset.StandardCharsets;

/** Reads what {@link ByteWriter} wrote; any overrun or impossible value throws {@link MalformedRecordException}. */
final class ByteReader {
    private final byte[] buf;
    private int pos;
    private final int end;

    ByteReader(byte[] buf, int offset, int length) {
        this.buf = buf;
        this.pos = offset;
        this.end = offset + length;
    }

    boolean atEnd() {
        return pos == end;
    }

    int readByte() {
        need(1);
        return buf[pos++] & 0xFF;
    }

    long readVarLong() {
        long v = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            int b = readByte();
            v |= (long) (b & 0x7F) << shift;
            if ((b & 0x80) == 0) {
                return v;
            }
        }
        throw new MalformedRecordException("varint longer than 10 bytes");
    }

    int readVarInt(int max) {
        long v = readVarLong();
        if (v < 0 || v > max) {
            throw new MalformedRecordException("value " + v + " out of range 0.." + max);
        }
        return (int) v;
    }

    long readZigZag() {
        long v = readVarLong();
        return (v >>> 1) ^ -(v & 1);
    }

    double readDouble() {
        need(8);
        long v = 0;
        for (int i = 0; i < 8; i++) {
            v = (v << 8) | (buf[pos++] & 0xFF);
        }
        return Double.longBitsToDouble(v);
    }

    String readString() {
        int n = readVarInt(end - pos);
        String s = new String(buf, pos, n, StandardCharsets.UTF_8);
        pos += n;
        return s;
    }

    private void need(int n) {
        if (pos + n > end) {
            throw new MalformedRecordException("record ends early");
        }
    }
}
