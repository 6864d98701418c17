package io.latchkey.hal.can;

import java.time.Instant;
import java.util.Arrays;
import java.util.Objects;

/**
 * One classical CAN 2.0 frame: an 11-bit or 29-bit identifier and 0 to 8 data bytes. Immutable; the
 * data array is copied in and out.
 *
 * <p>A remote (RTR) frame carries no data, only a requested length: {@link #length()} is that length
 * and the data bytes read as zero.
 */
public final class CanFrame {
    public static final int MAX_STANDARD_ID = 0x7FF;
    public static final int MAX_EXTENDED_ID = 0x1FFF_FFFF;
    public static final int MAX_LENGTH = 8;

    private final int id;
    private final boolean extended;
    private final boolean remote;
    private final byte[] data;
    private final Instant timestamp;

    private CanFrame(int id, boolean extended, boolean remote, byte[] data, Instant timestamp) {
        if (id < 0 || id > (extended ? MAX_EXTENDED_ID : MAX_STANDARD_ID)) {
            throw new IllegalArgumentException(String.format("CAN id 0x%X out of range for a%s frame", id,
                    extended ? "n extended" : " standard"));
        }
        if (data.length > MAX_LENGTH) {
            throw new IllegalArgumentException("CAN data is " + data.length + " bytes, at most 8 allowed");
        }
        this.id = id;
        this.extended = extended;
        this.remote = remote;
        this.data = data;
        this.timestamp = timestamp;
    }

    /**
     * A data frame.
     *
     * @param timestamp when it was received or sent; null for a frame not yet on a bus
     */
    public static CanFrame data(int id, boolean extended, byte[] data, Instant timestamp) {
        return new CanFrame(id, extended, false, Objects.requireNonNull(data, "data").clone(), timestamp);
    }

    /** A standard-id data frame without timestamp, for requests and tests; each byte 0..255. */
    public static CanFrame standard(int id, int... bytes) {
        byte[] data = new byte[bytes.length];
        for (int i = 0; i < bytes.length; i++) {
            if (bytes[i] < 0 || bytes[i] > 0xFF) {
                throw new IllegalArgumentException("byte " + i + " is " + bytes[i] + ", not 0..255");
            }
            data[i] = (byte) bytes[i];
        }
        return new CanFrame(id, false, false, data, null);
    }

    /** A remote (RTR) frame requesting {@code length} bytes. */
    public static CanFrame remote(int id, boolean extended, int length, Instant timestamp) {
        if (length < 0 || length > MAX_LENGTH) {
            throw new IllegalArgumentException("RTR length " + length + " out of 0..8");
        }
        return new CanFrame(id, extended, true, new byte[length], timestamp);
    }

    public int id() {
        return id;
    }

    public boolean extended() {
        return extended;
    }

    public boolean remote() {
        return remote;
    }

    /** The data length code: number of data bytes, or the requested length of a remote frame. */
    public int length() {
        return data.length;
    }

    /** A copy of the data bytes. */
    public byte[] data() {
        return data.clone();
    }

    public int dataByte(int index) {
        return data[index] & 0xFF;
    }

    /** Null for a frame that has not been on a bus. */
    public Instant timestamp() {
        return timestamp;
    }

    public CanFrame withTimestamp(Instant newTimestamp) {
        return new CanFrame(id, extended, remote, data, newTimestamp);
    }

    /** The payload as a 64-bit word with byte 0 in the lowest bits (Intel order); missing bytes are zero. */
    public long payloadLittleEndian() {
        long word = 0;
        for (int i = 0; i < data.length; i++) {
            word |= (data[i] & 0xFFL) << (8 * i);
        }
        return word;
    }

    /** The payload as a 64-bit word with byte 0 in the highest bits (Motorola order); missing bytes are zero. */
    public long payloadBigEndian() {
        long word = 0;
        for (int i = 0; i < data.length; i++) {
            word |= (data[i] & 0xFFL) << (56 - 8 * i);
        }
        return word;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CanFrame f && f.id == id && f.extended == extended && f.remote == remote
                && Arrays.equals(f.data, data) && Objects.equals(f.timestamp, timestamp);
    }

    @Override
    public int hashCode() {
        return Objects.hash(id, extended, remote, Arrays.hashCode(data), timestamp);
    }

    /** The frame in can-utils notation, {@code 123#DEADBEEF} or {@code 1F334455#R}. */
    @Override
    public String toString() {
        StringBuilder s = new StringBuilder(extended ? String.format("%08X", id) : String.format("%03X", id)).append('#');
        if (remote) {
            s.append('R');
            if (data.length > 0) {
                s.append(data.length);
            }
        } else {
            for (byte b : data) {
                s.append(String.format("%02X", b & 0xFF));
            }
        }
        return s.toString();
    }
}
