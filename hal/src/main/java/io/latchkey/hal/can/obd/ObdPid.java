package io.latchkey.hal.can.obd;

import io.latchkey.hal.vehicle.Vss;

/**
 * The SAE J1979 mode 01 PIDs the agent reads, with their formulas (A, B, C, D are the data bytes in
 * order) and the VSS names they feed.
 */
public enum ObdPid {
    /** (256A + B) / 4 rpm. */
    ENGINE_SPEED(0x0C, 2, Vss.ENGINE_SPEED, 0.25, 16383.75),
    /** A km/h. */
    VEHICLE_SPEED(0x0D, 1, Vss.SPEED, 1, 255),
    /** 100 A / 255 percent. */
    FUEL_LEVEL(0x2F, 1, Vss.FUEL_LEVEL, 100.0 / 255, 100),
    /** (A·2^24 + B·2^16 + C·2^8 + D) / 10 km. */
    ODOMETER(0xA6, 4, Vss.TRAVELED_DISTANCE, 0.1, 429_496_729.5);

    private final int pid;
    private final int length;
    private final String vss;
    private final double scale;
    private final double max;

    ObdPid(int pid, int length, String vss, double scale, double max) {
        this.pid = pid;
        this.length = length;
        this.vss = vss;
        this.scale = scale;
        this.max = max;
    }

    public int pid() {
        return pid;
    }

    /** Number of data bytes in a response. */
    public int length() {
        return length;
    }

    public String vss() {
        return vss;
    }

    public static ObdPid of(int pid) {
        for (ObdPid p : values()) {
            if (p.pid == pid) {
                return p;
            }
        }
        return null;
    }

    /** The physical value of the data bytes {@code data[offset..offset+length)}. */
    double decode(byte[] data, int offset) {
        long raw = 0;
        for (int i = 0; i < length; i++) {
            raw = raw << 8 | (data[offset + i] & 0xFF);
        }
        return raw * scale;
    }

    /** The data bytes for a physical value, rounded to the nearest step; for the simulated ECU. */
    byte[] encode(double value) {
        if (!(value >= 0 && value <= max)) {
            throw new IllegalArgumentException(name() + " cannot carry " + value + ": range is 0.." + max);
        }
        long raw = Math.round(value / scale);
        byte[] bytes = new byte[length];
        for (int i = length - 1; i >= 0; i--) {
            bytes[i] = (byte) raw;
            raw >>>= 8;
        }
        return bytes;
    }
}
