package io.latchkey.hal.can.dbc;

/**
 * Where a signal's bits sit in the 64-bit payload word, worked out once so that decoding is one shift
 * and one mask. Little-endian signals are read from the payload taken with byte 0 lowest
 * ({@code CanFrame.payloadLittleEndian()}), big-endian ones from the payload taken with byte 0 highest
 * ({@code payloadBigEndian()}): in that word a Motorola signal's bits are contiguous.
 *
 * <p>Motorola start bits use Vector's sawtooth numbering: bit {@code b} is bit {@code b % 8} of byte
 * {@code b / 8}, and the start bit is the most significant. In the big-endian word that bit sits at
 * position {@code (7 - b / 8) * 8 + b % 8}, and the signal extends {@code length - 1} positions
 * down from it.
 */
final class BitLayout {
    final boolean bigEndian;
    final int shift;
    final long mask;

    private BitLayout(boolean bigEndian, int shift, long mask) {
        this.bigEndian = bigEndian;
        this.shift = shift;
        this.mask = mask;
    }

    static BitLayout of(int startBit, int length, ByteOrder order) {
        long mask = length == 64 ? -1L : (1L << length) - 1;
        if (order == ByteOrder.LITTLE_ENDIAN) {
            return new BitLayout(false, startBit, mask);
        }
        return new BitLayout(true, motorolaMsbPosition(startBit) - (length - 1), mask);
    }

    /** Null if the layout fits in 8 bytes, else what is wrong with it. */
    static String check(int startBit, int length, ByteOrder order) {
        if (length < 1 || length > 64) {
            return "length " + length + " is not 1..64 bits";
        }
        if (startBit > 63) {
            return "start bit " + startBit + " is beyond the 8-byte payload (CAN FD is not supported)";
        }
        if (order == ByteOrder.LITTLE_ENDIAN && startBit + length > 64) {
            return "bits " + startBit + ".." + (startBit + length - 1) + " run past the 8-byte payload";
        }
        if (order == ByteOrder.BIG_ENDIAN && motorolaMsbPosition(startBit) - (length - 1) < 0) {
            return "big-endian bits from " + startBit + " for " + length + " bits run past the 8-byte payload";
        }
        return null;
    }

    /** The index of the last payload byte the signal touches, to compare with the message's size. */
    static int lastByte(int startBit, int length, ByteOrder order) {
        if (order == ByteOrder.LITTLE_ENDIAN) {
            return (startBit + length - 1) / 8;
        }
        int lsbPosition = motorolaMsbPosition(startBit) - (length - 1);
        return 7 - lsbPosition / 8;
    }

    private static int motorolaMsbPosition(int startBit) {
        return (7 - startBit / 8) * 8 + startBit % 8;
    }

    long extract(long littleEndianWord, long bigEndianWord) {
        return ((bigEndian ? bigEndianWord : littleEndianWord) >>> shift) & mask;
    }

    /** Places raw bits into the word this layout reads from. */
    long insert(long word, long raw) {
        return word | ((raw & mask) << shift);
    }
}
