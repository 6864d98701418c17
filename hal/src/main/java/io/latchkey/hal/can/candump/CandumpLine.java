package io.latchkey.hal.can.candump;

import io.latchkey.hal.can.CanFrame;
import java.time.Instant;

/**
 * The {@code candump -l} line format of can-utils:
 * {@code (1436509052.249713) can0 1F334455#1122334455667788}. Ids of 3 hex digits are standard, of 8
 * extended; data is up to 8 hex byte pairs (can-utils also accepts a dot between bytes); {@code #R} with
 * an optional length digit is a remote frame. CAN FD ({@code ##}) and error frames are refused.
 */
public final class CandumpLine {
    private static final int CAN_ERR_FLAG = 0x2000_0000;

    private CandumpLine() {
    }

    public static CandumpRecord parse(String line, long lineNumber) {
        String text = line.strip();
        if (!text.startsWith("(")) {
            throw new CandumpParseException(lineNumber, "expected '(' and a timestamp");
        }
        int close = text.indexOf(')');
        if (close < 0) {
            throw new CandumpParseException(lineNumber, "timestamp has no closing ')'");
        }
        Instant timestamp = timestamp(text.substring(1, close), lineNumber);
        String[] parts = text.substring(close + 1).strip().split("\\s+");
        if (parts.length != 2 || parts[0].isEmpty()) {
            throw new CandumpParseException(lineNumber, "expected 'interface ID#DATA' after the timestamp");
        }
        return new CandumpRecord(lineNumber, parts[0], frame(parts[1], timestamp, lineNumber));
    }

    /** Formats a frame as {@code candump -l} does; the frame must have a timestamp. */
    public static String format(CanFrame frame, String interfaceName) {
        Instant t = frame.timestamp();
        if (t == null) {
            throw new IllegalArgumentException("a candump line needs a timestamp: " + frame);
        }
        if (t.getEpochSecond() < 0) {
            throw new IllegalArgumentException("timestamps before 1970 cannot be written: " + t);
        }
        return String.format("(%d.%06d) %s %s", t.getEpochSecond(), t.getNano() / 1000, interfaceName, frame);
    }

    private static Instant timestamp(String text, long lineNumber) {
        int dot = text.indexOf('.');
        String seconds = dot < 0 ? text : text.substring(0, dot);
        String fraction = dot < 0 ? "" : text.substring(dot + 1);
        if (seconds.isEmpty() || seconds.length() > 12 || fraction.length() > 9 || !allDigits(seconds) || !allDigits(fraction)) {
            throw new CandumpParseException(lineNumber, "timestamp '" + text + "' is not seconds.fraction");
        }
        int nanos = fraction.isEmpty() ? 0 : Integer.parseInt((fraction + "000000000").substring(0, 9));
        return Instant.ofEpochSecond(Long.parseLong(seconds), nanos);
    }

    private static CanFrame frame(String text, Instant timestamp, long lineNumber) {
        int hash = text.indexOf('#');
        if (hash < 0) {
            throw new CandumpParseException(lineNumber, "frame '" + text + "' has no '#'");
        }
        String idText = text.substring(0, hash);
        String dataText = text.substring(hash + 1);
        if (dataText.startsWith("#")) {
            throw new CandumpParseException(lineNumber, "CAN FD frames are not supported");
        }
        if ((idText.length() != 3 && idText.length() != 8) || !allHex(idText)) {
            throw new CandumpParseException(lineNumber, "id '" + idText + "' must be 3 (standard) or 8 (extended) hex digits");
        }
        boolean extended = idText.length() == 8;
        long id = Long.parseLong(idText, 16);
        if (extended && (id & CAN_ERR_FLAG) != 0) {
            throw new CandumpParseException(lineNumber, "error frames are not supported");
        }
        if (id > (extended ? CanFrame.MAX_EXTENDED_ID : CanFrame.MAX_STANDARD_ID)) {
            throw new CandumpParseException(lineNumber, "id '" + idText + "' out of range");
        }
        if (dataText.startsWith("R")) {
            return remote((int) id, extended, dataText.substring(1), timestamp, lineNumber);
        }
        return CanFrame.data((int) id, extended, bytes(dataText, lineNumber), timestamp);
    }

    private static CanFrame remote(int id, boolean extended, String lengthText, Instant timestamp, long lineNumber) {
        if (lengthText.isEmpty()) {
            return CanFrame.remote(id, extended, 0, timestamp);
        }
        if (lengthText.length() != 1 || lengthText.charAt(0) < '0' || lengthText.charAt(0) > '8') {
            throw new CandumpParseException(lineNumber, "remote frame length '" + lengthText + "' is not 0..8");
        }
        return CanFrame.remote(id, extended, lengthText.charAt(0) - '0', timestamp);
    }

    private static byte[] bytes(String text, long lineNumber) {
        String hex = text.replace(".", "");
        if (hex.length() % 2 != 0 || !allHex(hex)) {
            throw new CandumpParseException(lineNumber, "data '" + text + "' is not hex byte pairs");
        }
        if (hex.length() > 2 * CanFrame.MAX_LENGTH) {
            throw new CandumpParseException(lineNumber, "data has " + hex.length() / 2 + " bytes, at most 8 allowed");
        }
        byte[] data = new byte[hex.length() / 2];
        for (int i = 0; i < data.length; i++) {
            data[i] = (byte) Integer.parseInt(hex.substring(2 * i, 2 * i + 2), 16);
        }
        return data;
    }

    private static boolean allDigits(String s) {
        return s.chars().allMatch(c -> c >= '0' && c <= '9');
    }

    private static boolean allHex(String s) {
        return s.chars().allMatch(c -> (c >= '0' && c <= '9') || (c >= 'A' && c <= 'F') || (c >= 'a' && c <= 'f'));
    }
}
