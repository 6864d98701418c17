package io.latchkey.hal.gnss.nmea;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.Locale;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The writer's fields are built without {@link java.util.Formatter} (it was most of a simulated fleet's CPU); each must
 * be exactly what {@code String.format} wrote before, for random values and for the edges: halves, negative zero,
 * values that round up into the next unit.
 */
class NmeaWriterFormatTest {
    private static final SplittableRandom RANDOM = new SplittableRandom(20261206);

    @Test
    void decimal_isFormattersHalfUpOfTheShortestDecimal() {
        double[] edges = {0.0, -0.0, 0.5, 0.125, 0.0125, 1.005, 2.675, -0.001, -0.004999, -0.005, 9.9995, 99.995,
                1e-9, -1e-9, 123456.789, 0.0005, 0.00049999, 359.995, 1e7 + 0.5, Double.MIN_VALUE};
        for (double v : edges) {
            for (int places = 0; places <= 3; places++) {
                assertThat(NmeaWriter.decimal(v, places)).as("%s to %d places", v, places).isEqualTo(reference(v, places));
            }
        }
        for (int i = 0; i < 200_000; i++) {
            double v = switch (i % 4) {
                case 0 -> RANDOM.nextDouble(-1000, 1000);
                case 1 -> Math.round(RANDOM.nextDouble(-1000, 1000) * 1000) / 1000.0 + 0.0005; // at a half
                case 2 -> RANDOM.nextDouble(0, 400) * 3600.0 / 1852.0;                           // knots, km/h
                default -> RANDOM.nextDouble(-1, 1) * 1e-3;                                        // near zero
            };
            int places = 2 + i % 2;
            assertThat(NmeaWriter.decimal(v, places)).as("%s to %d places", v, places).isEqualTo(reference(v, places));
        }
    }

    @Test
    void coordinate_isDegreesThenMinutesTo1e6_asFormatterWroteIt() {
        double[] edges = {0.0, 55.780385667, -23.578519667, 179.9999999999, -180.0, 89.99999999999, 0.99999999999,
                12.5, 1.0 / 60.0};
        for (double v : edges) {
            assertThat(NmeaWriter.coordinate(v, 2)).as("%s", v).isEqualTo(referenceCoordinate(v, 2));
            assertThat(NmeaWriter.coordinate(v, 3)).as("%s", v).isEqualTo(referenceCoordinate(v, 3));
        }
        for (int i = 0; i < 200_000; i++) {
            double lat = RANDOM.nextDouble(-90, 90);
            double lon = RANDOM.nextDouble(-180, 180);
            assertThat(NmeaWriter.coordinate(lat, 2)).as("%s", lat).isEqualTo(referenceCoordinate(lat, 2));
            assertThat(NmeaWriter.coordinate(lon, 3)).as("%s", lon).isEqualTo(referenceCoordinate(lon, 3));
        }
    }

    @Test
    void timeAndDate_areTheZeroPaddedFields_withHundredthsTruncated() {
        assertThat(NmeaWriter.time(null)).isEmpty();
        assertThat(NmeaWriter.date(null)).isEmpty();
        assertThat(NmeaWriter.time(Instant.parse("2009-12-09T04:03:07.509Z"))).isEqualTo("040307.50");
        assertThat(NmeaWriter.date(Instant.parse("2009-02-03T04:03:07Z"))).isEqualTo("030209");
        long from = Instant.parse("1980-01-01T00:00:00Z").getEpochSecond();
        long to = Instant.parse("2079-12-31T23:59:59Z").getEpochSecond();
        for (int i = 0; i < 100_000; i++) {
            Instant t = Instant.ofEpochSecond(RANDOM.nextLong(from, to), RANDOM.nextInt(1_000_000_000));
            ZonedDateTime z = t.atZone(ZoneOffset.UTC);
            assertThat(NmeaWriter.time(t)).isEqualTo(String.format(Locale.ROOT, "%02d%02d%02d.%02d", z.getHour(),
                    z.getMinute(), z.getSecond(), z.getNano() / 10_000_000));
            assertThat(NmeaWriter.date(t)).isEqualTo(String.format(Locale.ROOT, "%02d%02d%02d", z.getDayOfMonth(),
                    z.getMonthValue(), z.getYear() % 100));
        }
    }

    @Test
    void frame_isDollarBodyStarAndTheChecksumInTwoCapitalHexDigits() {
        for (String body : new String[] {"GPGSA,A,3,,,,,,,,,,,,,1.8,1.0,1.5", "GPRMC,,V,,,,,,,,,,N", "A", "GNVTG,,T,,M,,N,,K,N"}) {
            assertThat(NmeaWriter.frame(body))
                    .isEqualTo("$" + body + String.format(Locale.ROOT, "*%02X", NmeaParser.checksum(body)));
        }
    }

    /** What the writer used before. */
    private static String reference(double v, int places) {
        return String.format(Locale.ROOT, "%." + places + "f", v);
    }

    private static String referenceCoordinate(double degrees, int degreeDigits) {
        double abs = Math.abs(degrees);
        int whole = (int) Math.floor(abs);
        double minutes = Math.round((abs - whole) * 60.0 * 1e6) / 1e6;
        if (minutes >= 60.0) {
            whole++;
            minutes = 0.0;
        }
        return String.format(Locale.ROOT, "%0" + degreeDigits + "d%09.6f", whole, minutes);
    }
}
