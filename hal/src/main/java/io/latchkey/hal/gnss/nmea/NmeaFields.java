package io.latchkey.hal.gnss.nmea;

import java.time.DateTimeException;
import java.time.LocalDate;
import java.time.LocalTime;

/**
 * The comma-separated fields of one sentence, read by index. Missing trailing fields read as empty:
 * receivers drop optional trailing fields, and older NMEA versions have fewer of them.
 */
final class NmeaFields {
    private final String name;
    private final String[] fields;

    NmeaFields(String name, String[] fields) {
        this.name = name;
        this.fields = fields;
    }

    int size() {
        return fields.length;
    }

    void requireAtLeast(int count) {
        if (fields.length < count) {
            throw new NmeaParseException(name + " has " + (fields.length - 1) + " fields, expected at least "
                    + (count - 1));
        }
    }

    String text(int index) {
        return index < fields.length ? fields[index] : "";
    }

    boolean isEmpty(int index) {
        return text(index).isEmpty();
    }

    Character character(int index) {
        String t = text(index);
        if (t.isEmpty()) {
            return null;
        }
        if (t.length() != 1) {
            throw bad(index, "a single character");
        }
        return t.charAt(0);
    }

    Double decimal(int index) {
        String t = text(index);
        if (t.isEmpty()) {
            return null;
        }
        if (!isPlainDecimal(t)) {
            throw bad(index, "a decimal number");
        }
        return Double.parseDouble(t);
    }

    Integer integer(int index) {
        String t = text(index);
        if (t.isEmpty()) {
            return null;
        }
        if (t.length() > 9 || !t.chars().allMatch(Character::isDigit)) {
            throw bad(index, "an integer");
        }
        return Integer.parseInt(t);
    }

    /** {@code hhmmss} with an optional fraction of any length. A leap second (60) is read as 59.999999999. */
    LocalTime time(int index) {
        String t = text(index);
        if (t.isEmpty()) {
            return null;
        }
        if (t.length() < 6 || !digits(t, 0, 6) || (t.length() > 6 && (t.charAt(6) != '.' || !digits(t, 7, t.length())))) {
            throw bad(index, "a time hhmmss[.sss]");
        }
        int h = Integer.parseInt(t.substring(0, 2));
        int m = Integer.parseInt(t.substring(2, 4));
        int s = Integer.parseInt(t.substring(4, 6));
        String fraction = t.length() > 7 ? t.substring(7) : "";
        int nanos = fraction.isEmpty() ? 0 : Integer.parseInt((fraction + "000000000").substring(0, 9));
        if (h > 23 || m > 59 || s > 60) {
            throw bad(index, "a time of day");
        }
        return s == 60 ? LocalTime.of(h, m, 59, 999_999_999) : LocalTime.of(h, m, s, nanos);
    }

    /** RMC's {@code ddmmyy}; two-digit years are taken as 1980-2079, the span of GPS. */
    LocalDate ddmmyy(int index) {
        String t = text(index);
        if (t.isEmpty()) {
            return null;
        }
        if (t.length() != 6 || !digits(t, 0, 6)) {
            throw bad(index, "a date ddmmyy");
        }
        int yy = Integer.parseInt(t.substring(4, 6));
        return date(index, yy < 80 ? 2000 + yy : 1900 + yy, Integer.parseInt(t.substring(2, 4)),
                Integer.parseInt(t.substring(0, 2)));
    }

    LocalDate date(int index, int year, int month, int day) {
        try {
            return LocalDate.of(year, month, day);
        } catch (DateTimeException e) {
            throw bad(index, "a valid date");
        }
    }

    /** {@code ddmm.mmmm} + N/S, or {@code dddmm.mmmm} + E/W, as signed decimal degrees. */
    Double coordinate(int index, boolean latitude) {
        String t = text(index);
        String hemisphere = text(index + 1);
        if (t.isEmpty()) {
            return null;
        }
        int dot = t.indexOf('.');
        int minutesStart = (dot < 0 ? t.length() : dot) - 2;
        if (minutesStart < 1 || !digits(t, 0, minutesStart) || !isPlainDecimal(t.substring(minutesStart))) {
            throw bad(index, latitude ? "a latitude ddmm.mmmm" : "a longitude dddmm.mmmm");
        }
        int degrees = Integer.parseInt(t.substring(0, minutesStart));
        double minutes = Double.parseDouble(t.substring(minutesStart));
        double value = degrees + minutes / 60.0;
        if (minutes >= 60.0 || value > (latitude ? 90.0 : 180.0)) {
            throw bad(index, latitude ? "a latitude within 90 degrees" : "a longitude within 180 degrees");
        }
        return switch (hemisphere) {
            case "N", "E" -> value;
            case "S", "W" -> -value;
            default -> throw bad(index + 1, latitude ? "N or S" : "E or W");
        };
    }

    private NmeaParseException bad(int index, String expected) {
        return new NmeaParseException(name + " field " + index + " is '" + text(index) + "', expected " + expected);
    }

    private static boolean digits(String t, int from, int to) {
        for (int i = from; i < to; i++) {
            if (t.charAt(i) < '0' || t.charAt(i) > '9') {
                return false;
            }
        }
        return true;
    }

    /** Digits with an optional sign and at most one dot; rejects NaN, Infinity, exponents and hex floats. */
    private static boolean isPlainDecimal(String t) {
        int start = (t.startsWith("-") || t.startsWith("+")) ? 1 : 0;
        int dot = t.indexOf('.');
        if (t.length() == start || t.length() > 32 || (dot >= 0 && t.indexOf('.', dot + 1) >= 0)) {
            return false;
        }
        boolean anyDigit = false;
        for (int i = start; i < t.length(); i++) {
            char c = t.charAt(i);
            if (c >= '0' && c <= '9') {
                anyDigit = true;
            } else if (c != '.') {
                return false;
            }
        }
        return anyDigit;
    }
}
