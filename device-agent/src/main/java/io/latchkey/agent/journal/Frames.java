package io.latchkey.agent.journal;

import java.util.zip.CRC32C;

/**
 * How one record sits in a segment file: {@code u32 length | u32 crc32c | payload}, big-endian, where
 * the CRC-32C covers the four length bytes and the payload, so a damaged length is caught as surely as
 * a damaged payload. A segment file starts with the four magic bytes {@code LKJ1}.
 */
final class Frames {
    static final byte[] MAGIC = {'L', 'K', 'J', '1'};
    static final int HEADER = 8;
    /** Larger lengths are damage, not records: a record is well under a kilobyte. */
    static final int MAX_PAYLOAD = 64 * 1024;

    private Frames() {
    }

    static int crc(byte[] buf, int lengthOffset, int payloadLength) {
        CRC32C crc = new CRC32C();
        crc.update(buf, lengthOffset, 4);
        crc.update(buf, lengthOffset + HEADER, payloadLength);
        return (int) crc.getValue();
    }

    static int readInt(byte[] b, int at) {
        return ((b[at] & 0xFF) << 24) | ((b[at + 1] & 0xFF) << 16) | ((b[at + 2] & 0xFF) << 8) | (b[at + 3] & 0xFF);
    }
}
