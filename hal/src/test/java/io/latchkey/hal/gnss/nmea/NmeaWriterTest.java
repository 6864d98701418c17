package io.latchkey.hal.gnss.nmea;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.latchkey.hal.gnss.GnssFix;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

class NmeaWriterTest {

    @Test
    void sentences_haveValidChecksums_andAreWhatAReceiverSends() {
        GnssFix fix = new GnssFix(Instant.parse("2009-12-09T14:33:07.500Z"), 3, 55.780385667, 23.578519667, 127.5, 31.351 * 1852 / 3600, 221.51);
        List<String> lines = new NmeaWriter().sentences(fix);
        assertThat(lines).hasSize(4);
        assertThat(lines.get(0)).startsWith("$GPRMC,143307.50,A,5546.823140,N,02334.711180,E,31.351,221.51,091209,,,A*");
        assertThat(lines).allSatisfy(l -> assertThat(NmeaParser.parse(l)).isNotNull());
    }

    @Test
    void noFix_writesStatusV_andEmptyPosition() {
        GnssFix fix = new GnssFix(Instant.parse("2016-03-28T21:24:06Z"), 1, null, null, null, null, null);
        List<String> lines = new NmeaWriter("GN").sentences(fix);
        assertThat(lines.get(0)).startsWith("$GNRMC,212406.00,V,,,,,,,280316,,,N*");
        assertThat(roundTrip(fix)).isEqualTo(fix);
    }

    @Property(tries = 500)
    void parse_ofWrite_givesTheFixBack(@ForAll("fixes") GnssFix fix) {
        GnssFix back = roundTrip(fix);
        assertThat(back.mode()).isEqualTo(fix.mode());
        assertThat(back.time()).isEqualTo(fix.time());
        assertThat(back.lat()).isCloseTo(fix.lat(), within(1e-7));
        assertThat(back.lon()).isCloseTo(fix.lon(), within(1e-7));
        assertThat(back.speedMps()).isCloseTo(fix.speedMps(), within(0.0003));
        assertThat(back.trackDeg()).isCloseTo(fix.trackDeg(), within(0.005 + 1e-9));
        if (fix.mode() == 3) {
            assertThat(back.altMsl()).isCloseTo(fix.altMsl(), within(0.005 + 1e-9));
        } else {
            assertThat(back.altMsl()).isNull();
        }
    }

    @Provide
    Arbitrary<GnssFix> fixes() {
        Arbitrary<Instant> time = Arbitraries.longs().between(315_532_800_000L / 10, 3_471_292_799_990L / 10)
                .map(centis -> Instant.ofEpochMilli(centis * 10).truncatedTo(ChronoUnit.MILLIS));
        return Combinators.combine(time, Arbitraries.of(2, 3), Arbitraries.doubles().between(-90, 90),
                Arbitraries.doubles().between(-180, 180), Arbitraries.doubles().between(-400, 9000),
                Arbitraries.doubles().between(0, 100), Arbitraries.doubles().between(0, 359.99))
                .as((t, mode, lat, lon, alt, speed, track) -> new GnssFix(t, mode, lat, lon, mode == 3 ? alt : null, speed, track));
    }

    static GnssFix roundTrip(GnssFix fix) {
        List<NmeaEpoch> epochs = new ArrayList<>();
        NmeaEpochAssembler assembler = new NmeaEpochAssembler(epochs::add);
        new NmeaWriter().sentences(fix).forEach(l -> assembler.accept(NmeaParser.parse(l)));
        assembler.flush();
        assertThat(epochs).hasSize(1);
        return epochs.get(0).fix();
    }
}
