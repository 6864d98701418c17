package io.latchkey.hal.gnss.nmea;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.time.LocalDate;
import java.time.LocalTime;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class NmeaParserTest {

    @Test
    void rmc_fromBt451_isReadField_byField() {
        var rmc = (NmeaSentence.Rmc) NmeaParser.parse("$GPRMC,143307.50,A,5546.82314,N,02334.71118,E,31.351,221.51,091209,,,A*5C\r\n");
        assertThat(rmc.talker()).isEqualTo("GP");
        assertThat(rmc.time()).isEqualTo(LocalTime.of(14, 33, 7, 500_000_000));
        assertThat(rmc.valid()).isTrue();
        assertThat(rmc.lat()).isCloseTo(55.780385667, within(1e-9));
        assertThat(rmc.lon()).isCloseTo(23.578519667, within(1e-9));
        assertThat(rmc.speedKnots()).isEqualTo(31.351);
        assertThat(rmc.trackDeg()).isEqualTo(221.51);
        assertThat(rmc.date()).isEqualTo(LocalDate.of(2009, 12, 9));
        assertThat(rmc.modeIndicator()).isEqualTo('A');
    }

    @Test
    void rmc_nmea41_navStatusV_isNotNoFix() {
        var rmc = (NmeaSentence.Rmc) NmeaParser.parse("$GNRMC,091503.000,A,4813.0509,N,00824.8699,E,6.56,175.87,101015,,,A,V*0B");
        assertThat(rmc.talker()).isEqualTo("GN");
        assertThat(rmc.valid()).isTrue();
        assertThat(rmc.navStatus()).isEqualTo('V');
    }

    @Test
    void southAndWest_areNegative() {
        var rmc = (NmeaSentence.Rmc) NmeaParser.parse(NmeaWriter.frame("GARMC,000000.00,A,3351.000000,S,15112.600000,W,0.0,,010120,,,A"));
        assertThat(rmc.talker()).isEqualTo("GA");
        assertThat(rmc.lat()).isCloseTo(-33.85, within(1e-12));
        assertThat(rmc.lon()).isCloseTo(-151.21, within(1e-12));
    }

    @Test
    void gga_gsa_vtg_zda_fromRealCaptures() {
        var gga = (NmeaSentence.Gga) NmeaParser.parse("$GNGGA,091232.000,4813.0535,N,00824.8697,E,1,12,0.7,765.8,M,47.4,M,,0000*45");
        assertThat(gga.quality()).isEqualTo(1);
        assertThat(gga.satellites()).isEqualTo(12);
        assertThat(gga.altMsl()).isEqualTo(765.8);
        var gsa = (NmeaSentence.Gsa) NmeaParser.parse("$GNGSA,A,3,76,87,86,77,70,85,71,75,,,,,1.3,0.7,1.1,2*39");
        assertThat(gsa.fixType()).isEqualTo(3);
        assertThat(gsa.hdop()).isEqualTo(0.7);
        var bd = (NmeaSentence.Gsa) NmeaParser.parse("$BDGSA,A,1,,,,,,,,,,,,,0.0,0.0,0.0*21");
        assertThat(bd.talker()).isEqualTo("BD");
        var vtg = (NmeaSentence.Vtg) NmeaParser.parse("$GPVTG,221.16,T,,M,30.324,N,56.191,K,A*37");
        assertThat(vtg.speedKnots()).isEqualTo(30.324);
        assertThat(vtg.trackDeg()).isEqualTo(221.16);
        var zda = (NmeaSentence.Zda) NmeaParser.parse("$GNZDA,091232.000,10,10,2015,,*45");
        assertThat(zda.date()).isEqualTo(LocalDate.of(2015, 10, 10));
        var glonass = NmeaParser.parse("$GLGSV,1,1,00*65");
        assertThat(glonass).isInstanceOf(NmeaSentence.Other.class);
    }

    @Test
    void emptyFields_areNull() {
        var rmc = (NmeaSentence.Rmc) NmeaParser.parse("$GPRMC,,V,,,,,,,,,,N*53");
        assertThat(rmc.time()).isNull();
        assertThat(rmc.lat()).isNull();
        assertThat(rmc.valid()).isFalse();
    }

    @Test
    void proprietarySentence_isOther() {
        var psti = NmeaParser.parse("$PSTI,030,212406.000,V,0000.0000000,N,00000.0000000,E,0.000,0.00,0.00,0.00,280316,N,0.0,0.0*01");
        assertThat(psti).isEqualTo(new NmeaSentence.Other("P", "STI"));
    }

    @Test
    void badChecksum_isRejected() {
        assertThatThrownBy(() -> NmeaParser.parse("$GPRMC,143307.50,A,5546.82314,N,02334.71118,E,31.351,221.51,091209,,,A*5D"))
                .isInstanceOf(NmeaParseException.class).hasMessageContaining("checksum mismatch");
    }

    @ParameterizedTest
    @ValueSource(strings = {"$GPRMC,143307.50,A,5546.82314,N,0233", "$GPRMC,143307.50,A,5546.82314,N,02334.71118,E,31.351,221.51,091209,,,A*5",
            "", "\u0000\u00ff\u0013garbage", "$", "$*00", "$GPRMC*", "GPRMC,1*00"})
    void truncatedOrGarbage_isRejected(String line) {
        assertThatThrownBy(() -> NmeaParser.parse(line)).isInstanceOf(NmeaParseException.class);
    }

    @Test
    void validChecksum_butBadField_isRejectedWithFieldName() {
        assertThatThrownBy(() -> NmeaParser.parse(NmeaWriter.frame("GPRMC,250000,A,5546.8,N,02334.7,E,1,1,091209,,,A")))
                .isInstanceOf(NmeaParseException.class).hasMessageContaining("GPRMC field 1");
        assertThatThrownBy(() -> NmeaParser.parse(NmeaWriter.frame("GPGGA,120000,9546.8,N,02334.7,E,1,04,1,1,M")))
                .isInstanceOf(NmeaParseException.class).hasMessageContaining("latitude");
        assertThatThrownBy(() -> NmeaParser.parse(NmeaWriter.frame("GPRMC,120000,A")))
                .isInstanceOf(NmeaParseException.class).hasMessageContaining("expected at least");
    }

    @Test
    void garbageBeforeSentence_onSameLine_isSkipped() {
        assertThat(NmeaParser.parse("\u00ff\u00fe$GPRMC,1*$GPVTG,,,,,,,,,N*30")).isInstanceOf(NmeaSentence.Vtg.class);
    }

    @Test
    void lowercaseChecksum_isAccepted() {
        assertThat(NmeaParser.parse("$GPGSA,A,3,26,32,11,14,,,,,,,,,6.25,2.72,5.62*05")).isNotNull();
        assertThat(NmeaParser.parse("$GNRMC,091505.000,A,4813.0461,N,00824.8697,E,9.48,186.63,101015,,,A,V*0a")).isNotNull();
    }

    @Test
    void commentsAndBlankLines_areRecognised() {
        assertThat(NmeaParser.isCommentOrBlank("# Stationary \r")).isTrue();
        assertThat(NmeaParser.isCommentOrBlank("\r\n")).isTrue();
        assertThat(NmeaParser.isCommentOrBlank("$GPGSV,1,1,00*79")).isFalse();
    }
}
