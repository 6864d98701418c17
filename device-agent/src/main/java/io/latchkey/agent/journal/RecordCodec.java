package io.latchkey.agent.journal;

import io.latchkey.protocol.LockState;
import io.latchkey.protocol.telemetry.DeviceEvent;
import io.latchkey.protocol.telemetry.TelemetryRecord;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The journal's record payload: a compact, exact binary form of a {@link TelemetryRecord} (about
 * 60 bytes where the JSON is 300). Numbers keep every bit (doubles as IEEE-754), so a replayed
 * record equals the one taken. Layout, in order:
 *
 * <pre>
 * varint  presence bits (see the P_ constants)
 * varint  seq
 * zigzag  time epoch seconds, varint nanos          (if P_TIME)
 * f64 lat, f64 lon                                  (if P_POSITION)
 * f64 speedKmh                                      (if P_SPEED)
 * f64 odometerKm                                    (if P_ODOMETER)
 * u8  lock state 1 LOCKED, 2 UNLOCKED, 3 UNKNOWN    (if P_LOCK)
 * varint gnssMode                                   (if P_GNSS_MODE)
 * varint n, then n x (string, f64)                  (if P_SIGNALS)
 * string reason                                     (if P_REASON)
 * string deviceId, string type, zigzag seconds, varint nanos, varint n, n x (string, string)   event (if P_EVENT)
 * string = varint code > 0 from {@link WellKnownStrings}, or 0, varint length, UTF-8 bytes
 * </pre>
 *
 * Not thread-safe (reuses its buffer); the journal calls it under its own lock.
 */
final class RecordCodec {
    private static final int P_TIME = 1;
    private static final int P_POSITION = 1 << 1;
    private static final int P_SPEED = 1 << 2;
    private static final int P_ODOMETER = 1 << 3;
    private static final int P_LOCK = 1 << 4;
    private static final int P_DOORS = 1 << 5;
    private static final int P_DOORS_OPEN = 1 << 6;
    private static final int P_IGNITION = 1 << 7;
    private static final int P_IGNITION_ON = 1 << 8;
    private static final int P_GNSS_MODE = 1 << 9;
    private static final int P_SIGNALS = 1 << 10;
    private static final int P_REASON = 1 << 11;
    private static final int P_EVENT = 1 << 12;
    private static final int KNOWN_BITS = (1 << 13) - 1;
    private static final int MAX_DETAILS = 64;
    private static final int MAX_SIGNALS = 4096;

    /** Appends the payload of {@code r} to {@code out}. */
    void encode(TelemetryRecord r, ByteWriter out) {
        boolean position = r.lat() != null && r.lon() != null;
        int bits = (r.time() != null ? P_TIME : 0)
                | (position ? P_POSITION : 0)
                | (r.speedKmh() != null ? P_SPEED : 0)
                | (r.odometerKm() != null ? P_ODOMETER : 0)
                | (r.lockState() != null ? P_LOCK : 0)
                | (r.doorsOpen() != null ? P_DOORS | (r.doorsOpen() ? P_DOORS_OPEN : 0) : 0)
                | (r.ignition() != null ? P_IGNITION | (r.ignition() ? P_IGNITION_ON : 0) : 0)
                | (r.gnssMode() != null ? P_GNSS_MODE : 0)
                | (r.signals() != null ? P_SIGNALS : 0)
                | (r.reason() != null ? P_REASON : 0)
                | (r.event() != null ? P_EVENT : 0);
        out.writeVarLong(bits);
        out.writeVarLong(r.seq());
        if (r.time() != null) {
            out.writeZigZag(r.time().getEpochSecond());
            out.writeVarLong(r.time().getNano());
        }
        if (position) {
            out.writeDouble(r.lat());
            out.writeDouble(r.lon());
        }
        if (r.speedKmh() != null) {
            out.writeDouble(r.speedKmh());
        }
        if (r.odometerKm() != null) {
            out.writeDouble(r.odometerKm());
        }
        if (r.lockState() != null) {
            out.writeByte(switch (r.lockState()) {
                case LOCKED -> 1;
                case UNLOCKED -> 2;
                case UNKNOWN -> 3;
            });
        }
        if (r.gnssMode() != null) {
            out.writeZigZag(r.gnssMode());
        }
        if (r.signals() != null) {
            out.writeVarLong(r.signals().size());
            for (Map.Entry<String, Double> e : r.signals().entrySet()) {
                writeString(out, e.getKey());
                out.writeDouble(e.getValue() == null ? Double.NaN : e.getValue());
            }
        }
        if (r.reason() != null) {
            writeString(out, r.reason());
        }
        if (r.event() != null) {
            writeEvent(out, r.event());
        }
    }

    private static void writeEvent(ByteWriter out, DeviceEvent e) {
        writeString(out, e.deviceId() == null ? "" : e.deviceId());
        writeString(out, e.type() == null ? "" : e.type());
        Instant at = e.at() == null ? Instant.EPOCH : e.at();
        out.writeZigZag(at.getEpochSecond());
        out.writeVarLong(at.getNano());
        Map<String, String> details = e.details() == null ? Map.of() : e.details();
        out.writeVarLong(details.size());
        for (Map.Entry<String, String> d : details.entrySet()) {
            writeString(out, d.getKey());
            writeString(out, d.getValue() == null ? "" : d.getValue());
        }
    }

    private static DeviceEvent readEvent(ByteReader in) {
        String deviceId = readString(in);
        String type = readString(in);
        Instant at = Instant.ofEpochSecond(in.readZigZag(), in.readVarInt(999_999_999));
        int n = in.readVarInt(MAX_DETAILS);
        Map<String, String> details = new LinkedHashMap<>(Math.max(4, n * 2));
        for (int i = 0; i < n; i++) {
            details.put(readString(in), readString(in));
        }
        return new DeviceEvent(deviceId, type, at, details);
    }

    TelemetryRecord decode(byte[] buf, int offset, int length) {
        ByteReader in = new ByteReader(buf, offset, length);
        long bits = in.readVarLong();
        if ((bits & ~KNOWN_BITS) != 0) {
            throw new MalformedRecordException("unknown field bits " + Long.toHexString(bits));
        }
        long seq = in.readVarLong();
        Instant time = has(bits, P_TIME) ? Instant.ofEpochSecond(in.readZigZag(), in.readVarInt(999_999_999)) : null;
        Double lat = null;
        Double lon = null;
        if (has(bits, P_POSITION)) {
            lat = in.readDouble();
            lon = in.readDouble();
        }
        Double speed = has(bits, P_SPEED) ? in.readDouble() : null;
        Double odometer = has(bits, P_ODOMETER) ? in.readDouble() : null;
        LockState lock = has(bits, P_LOCK) ? lockState(in.readByte()) : null;
        Boolean doors = has(bits, P_DOORS) ? has(bits, P_DOORS_OPEN) : null;
        Boolean ignition = has(bits, P_IGNITION) ? has(bits, P_IGNITION_ON) : null;
        Integer mode = has(bits, P_GNSS_MODE) ? (int) in.readZigZag() : null;
        Map<String, Double> signals = null;
        if (has(bits, P_SIGNALS)) {
            int n = in.readVarInt(MAX_SIGNALS);
            signals = new LinkedHashMap<>(Math.max(4, n * 2));
            for (int i = 0; i < n; i++) {
                signals.put(readString(in), in.readDouble());
            }
        }
        String reason = has(bits, P_REASON) ? readString(in) : null;
        DeviceEvent event = has(bits, P_EVENT) ? readEvent(in) : null;
        if (!in.atEnd()) {
            throw new MalformedRecordException("trailing bytes after the record");
        }
        return new TelemetryRecord(seq, time, lat, lon, speed, odometer, lock, doors, ignition, mode, signals, reason, event);
    }

    private static boolean has(long bits, int bit) {
        return (bits & bit) != 0;
    }

    private static LockState lockState(int code) {
        return switch (code) {
            case 1 -> LockState.LOCKED;
            case 2 -> LockState.UNLOCKED;
            case 3 -> LockState.UNKNOWN;
            default -> throw new MalformedRecordException("unknown lock state code " + code);
        };
    }

    private static void writeString(ByteWriter out, String s) {
        int code = WellKnownStrings.codeOf(s);
        out.writeVarLong(code);
        if (code == 0) {
            out.writeString(s);
        }
    }

    private static String readString(ByteReader in) {
        int code = in.readVarInt(Integer.MAX_VALUE);
        if (code == 0) {
            return in.readString();
        }
        String s = WellKnownStrings.forCode(code);
        if (s == null) {
            throw new MalformedRecordException("unknown string code " + code);
        }
        return s;
    }
}
