package io.latchkey.hal.gnss.nmea;

import java.time.LocalDate;
import java.time.LocalTime;

/**
 * One checksummed NMEA 0183 sentence, reduced to the fields a position report needs. Empty fields are
 * {@code null}; receivers leave fields empty all the time (no fix, no course while stationary).
 */
public sealed interface NmeaSentence {
    /** Two-letter talker: GP (GPS), GN (combined), GL (GLONASS), GA (Galileo), BD/GB (BeiDou), ... */
    String talker();

    /** Three-letter sentence type, such as {@code RMC}. */
    String type();

    /** Recommended minimum data. {@code navStatus} is the NMEA 4.1 trailing field, often always V. */
    record Rmc(String talker, LocalTime time, boolean valid, Double lat, Double lon, Double speedKnots,
               Double trackDeg, LocalDate date, Character modeIndicator, Character navStatus) implements NmeaSentence {
        @Override
        public String type() {
            return "RMC";
        }
    }

    /** Fix data. {@code quality} 0 means no fix; {@code null} when the receiver left it empty. */
    record Gga(String talker, LocalTime time, Double lat, Double lon, Integer quality, Integer satellites,
               Double hdop, Double altMsl, Double geoidSeparation) implements NmeaSentence {
        @Override
        public String type() {
            return "GGA";
        }
    }

    /** Geographic position. {@code valid} is null on old receivers that send no status field. */
    record Gll(String talker, LocalTime time, Double lat, Double lon, Boolean valid, Character modeIndicator)
            implements NmeaSentence {
        @Override
        public String type() {
            return "GLL";
        }
    }

    /** DOP and active satellites; {@code fixType} 1 no fix, 2 2D, 3 3D. */
    record Gsa(String talker, Integer fixType, Double pdop, Double hdop, Double vdop) implements NmeaSentence {
        @Override
        public String type() {
            return "GSA";
        }
    }

    /** Course and speed over ground. */
    record Vtg(String talker, Double trackDeg, Double speedKnots, Double speedKmh, Character modeIndicator)
            implements NmeaSentence {
        @Override
        public String type() {
            return "VTG";
        }
    }

    /** UTC time and date. */
    record Zda(String talker, LocalTime time, LocalDate date) implements NmeaSentence {
        @Override
        public String type() {
            return "ZDA";
        }
    }

    /** A well-formed sentence this decoder does not use (GSV, TXT, GST, proprietary {@code $P...}). */
    record Other(String talker, String type) implements NmeaSentence {
    }
}
