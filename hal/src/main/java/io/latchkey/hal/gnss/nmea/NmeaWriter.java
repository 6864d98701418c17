package io.latchkey.hal.gnss.nmea;

import io.latchkey.hal.gnss.GnssFix;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.List;

/**
 * Writes a {@link GnssFix} as the sentences of one receiver cycle (RMC, GGA, GSA, VTG) with correct
 * checksums, so that the simulator drives the same parser a real receiver does. Precision: position to
 * 1e-6 arc minutes (under 2 mm), speed to 0.001 knot, course to 0.01 degree, altitude to 0.01 m,
 * time to 0.01 s (truncated). RMC has two-digit years, so times must lie in 1980-2079.
 *
 * <p>A fix without a time writes empty time and date fields, as a receiver without a clock does.
 */
public final class NmeaWriter {
    private static final double KNOTS_PER_MPS = 3600.0 / 1852.0;
    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    private final String talker;

    /** Writes as a GPS-only receiver ({@code $GP...}). */
    public NmeaWriter() {
        this("GP");
    }

    /** @param talker two capital letters, e.g. {@code GN} for a multi-constellation receiver */
    public NmeaWriter(String talker) {
        if (talker == null || !talker.matches("[A-Z]{2}")) {
            throw new IllegalArgumentException("talker must be two capital letters, was " + talker);
        }
        this.talker = talker;
    }

    /** The cycle's sentences, each a complete line without its CR/LF. */
    public List<String> sentences(GnssFix fix) {
        return List.of(rmc(fix), gga(fix), gsa(fix), vtg(fix));
    }

    /** Writes the cycle with CR/LF line ends, as a receiver does. */
    public void write(GnssFix fix, Appendable out) throws IOException {
        for (String sentence : sentences(fix)) {
            out.append(sentence).append("\r\n");
        }
    }

    /** Frames a sentence body ({@code GPRMC,...}) with {@code $} and its checksum. */
    public static String frame(String body) {
        int checksum = NmeaParser.checksum(body);
        return new StringBuilder(body.length() + 4).append('$').append(body).append('*')
                .append(HEX[checksum >> 4 & 0xF]).append(HEX[checksum & 0xF]).toString();
    }

    private String rmc(GnssFix fix) {
        boolean valid = fix.hasPosition();
        return frame(talker + "RMC," + time(fix.time()) + "," + (valid ? "A" : "V") + "," + position(fix) + ","
                + (valid ? knots(fix.speedMps()) : "") + "," + (valid ? decimal(fix.trackDeg(), 2) : "") + ","
                + date(fix.time()) + ",,," + (valid ? "A" : "N"));
    }

    private String gga(GnssFix fix) {
        boolean valid = fix.hasPosition();
        String altitude = valid && fix.mode() == GnssFix.MODE_3D && fix.altMsl() != null
                ? decimal(fix.altMsl(), 2) + ",M" : ",M";
        return frame(talker + "GGA," + time(fix.time()) + "," + position(fix) + "," + (valid ? "1,08,1.0," : "0,00,99.9,")
                + altitude + ",,M,,");
    }

    private String gsa(GnssFix fix) {
        int mode = fix.hasPosition() ? fix.mode() : GnssFix.MODE_NO_FIX;
        return frame(talker + "GSA,A," + mode + ",,,,,,,,,,,,," + (fix.hasPosition() ? "1.8,1.0,1.5" : "99.9,99.9,99.9"));
    }

    private String vtg(GnssFix fix) {
        boolean valid = fix.hasPosition();
        String kmh = valid && fix.speedMps() != null ? decimal(fix.speedMps() * 3.6, 3) : "";
        return frame(talker + "VTG," + (valid ? decimal(fix.trackDeg(), 2) : "") + ",T,,M,"
                + (valid ? knots(fix.speedMps()) : "") + ",N," + kmh + ",K," + (valid ? "A" : "N"));
    }

    private static String position(GnssFix fix) {
        if (!fix.hasPosition()) {
            return ",,,";
        }
        return coordinate(fix.lat(), 2) + "," + (fix.lat() < 0 ? "S" : "N") + ","
                + coordinate(fix.lon(), 3) + "," + (fix.lon() < 0 ? "W" : "E");
    }

    // The fields below are written without java.util.Formatter: a fleet of simulated cars writes these sentences
    // every cycle, and Formatter (a regex per call) was most of a fleet process's CPU (docs/benchmarks-scale.md).
    // Each gives exactly what String.format gave (NmeaWriterFormatTest compares them).

    /** {@code %0Nd%09.6f}: whole degrees, then minutes to 1e-6. */
    static String coordinate(double degrees, int degreeDigits) {
        double abs = Math.abs(degrees);
        int whole = (int) Math.floor(abs);
        long micros = Math.round((abs - whole) * 60.0 * 1e6);
        if (micros >= 60_000_000L) {
            whole++;
            micros = 0;
        }
        StringBuilder b = new StringBuilder(degreeDigits + 10);
        padded(b, whole, degreeDigits);
        padded(b, micros / 1_000_000L, 2);
        b.append('.');
        padded(b, micros % 1_000_000L, 6);
        return b.toString();
    }

    /** {@code hhmmss.ss}, the hundredths truncated. */
    static String time(Instant time) {
        if (time == null) {
            return "";
        }
        ZonedDateTime t = time.atZone(ZoneOffset.UTC);
        StringBuilder b = new StringBuilder(9);
        padded(b, t.getHour(), 2);
        padded(b, t.getMinute(), 2);
        padded(b, t.getSecond(), 2);
        b.append('.');
        padded(b, t.getNano() / 10_000_000, 2);
        return b.toString();
    }

    /** {@code ddmmyy}. */
    static String date(Instant time) {
        if (time == null) {
            return "";
        }
        ZonedDateTime t = time.atZone(ZoneOffset.UTC);
        StringBuilder b = new StringBuilder(6);
        padded(b, t.getDayOfMonth(), 2);
        padded(b, t.getMonthValue(), 2);
        padded(b, t.getYear() % 100, 2);
        return b.toString();
    }

    private static String knots(Double mps) {
        return mps == null ? "" : decimal(mps * KNOTS_PER_MPS, 3);
    }

    /**
     * {@code %.Nf}: Formatter rounds the shortest decimal that identifies the double ({@link Double#toString})
     * half up, as {@link BigDecimal#valueOf(double)} with {@link RoundingMode#HALF_UP} does, and keeps the minus
     * sign of a negative value that rounds to zero.
     */
    static String decimal(Double value, int places) {
        if (value == null) {
            return "";
        }
        BigDecimal rounded = BigDecimal.valueOf(value).setScale(places, RoundingMode.HALF_UP);
        String plain = rounded.toPlainString();
        return rounded.signum() == 0 && Math.copySign(1.0, value) < 0 ? "-" + plain : plain;
    }

    private static void padded(StringBuilder b, long value, int digits) {
        String s = Long.toString(value);
        for (int i = s.length(); i < digits; i++) {
            b.append('0');
        }
        b.append(s);
    }
}
