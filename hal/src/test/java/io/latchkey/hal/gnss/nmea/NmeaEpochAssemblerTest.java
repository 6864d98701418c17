package io.latchkey.hal.gnss.nmea;

import static org.assertj.core.api.Assertions.assertThat;

import io.latchkey.hal.gnss.GnssFix;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class NmeaEpochAssemblerTest {
    private final List<NmeaEpoch> epochs = new ArrayList<>();
    private final NmeaEpochAssembler assembler = new NmeaEpochAssembler(epochs::add);

    private void feed(String... bodies) {
        for (String body : bodies) {
            assembler.accept(NmeaParser.parse(NmeaWriter.frame(body)));
        }
    }

    @Test
    void rmcStatusV_withPresentPosition_isNotAFix() {
        feed("GPRMC,105025.80,V,5612.9999,N,00306.7096,W,,,081009,,W,N", "GPGGA,105025.80,5612.9999,N,00306.7096,W,1,4,2.0,160.0,M,,M,,");
        assembler.flush();
        assertThat(epochs).singleElement().satisfies(e -> {
            assertThat(e.fix().mode()).isEqualTo(GnssFix.MODE_NO_FIX);
            assertThat(e.fix().hasPosition()).isFalse();
            assertThat(e.fix().time()).isEqualTo(Instant.parse("2009-10-08T10:50:25.800Z"));
        });
    }

    @Test
    void rmcStatusV_withZeroedPosition_isNotAFixAt0_0() {
        feed("GPRMC,212406.000,V,0000.0000000,N,00000.0000000,E,000.0,000.0,280316,,,N");
        assembler.flush();
        assertThat(epochs.get(0).fix().lat()).isNull();
        assertThat(epochs.get(0).fix().speedMps()).isNull();
    }

    @Test
    void cycle_isReportedWhenTheNextStarts_thenAsSoonAsItsLastSentenceArrives() {
        feed("GPRMC,120000.00,A,5000.0,N,00800.0,E,10.0,90.0,010120,,,A", "GPGGA,120000.00,5000.0,N,00800.0,E,1,08,1.0,100.0,M,,M,,",
                "GPGSA,A,3,,,,,,,,,,,,,1.8,1.0,1.5");
        assertThat(epochs).isEmpty();
        feed("GPRMC,120001.00,A,5000.1,N,00800.0,E,10.0,90.0,010120,,,A");
        assertThat(epochs).hasSize(1);
        GnssFix first = epochs.get(0).fix();
        assertThat(first.mode()).isEqualTo(3);
        assertThat(first.speedMps()).isEqualTo(10.0 * 1852 / 3600);
        assertThat(first.altMsl()).isEqualTo(100.0);
        feed("GPGGA,120001.00,5000.1,N,00800.0,E,1,08,1.0,100.0,M,,M,,", "GPGSA,A,3,,,,,,,,,,,,,1.8,1.0,1.5");
        assertThat(epochs).hasSize(2);
    }

    @Test
    void ggaWithoutDate_takesThePreviousDate_andTheNextDayAfterMidnight() {
        feed("GPRMC,235959.00,A,5000.0,N,00800.0,E,0.0,,311219,,,A", "GPGGA,000000.00,5000.0,N,00800.0,E,1,08,1.0,1.0,M,,M,,",
                "GPGGA,000001.00,5000.0,N,00800.0,E,1,08,1.0,1.0,M,,M,,");
        assembler.flush();
        assertThat(epochs).extracting(e -> e.fix().time()).containsExactly(Instant.parse("2019-12-31T23:59:59Z"),
                Instant.parse("2020-01-01T00:00:00Z"), Instant.parse("2020-01-01T00:00:01Z"));
    }

    @Test
    void emptyTimeFields_stillSplitCycles_byRepeatedSentence() {
        feed("GPRMC,,V,,,,,,,,,,N", "GPGGA,,,,,,0,00,99.99,,,,,,", "GPRMC,,V,,,,,,,,,,N", "GPGGA,,,,,,0,00,99.99,,,,,,");
        assembler.flush();
        assertThat(epochs).hasSize(2).allMatch(e -> e.utcTime() == null && e.fix().time() == null && e.fix().mode() == 1);
    }

    @Test
    void ggaOnly_withAltitude_is3d_withoutAltitude_is2d() {
        feed("GPGGA,120000.00,5000.0,N,00800.0,E,1,08,1.0,100.0,M,,M,,", "GPGGA,120001.00,5000.0,N,00800.0,E,1,08,1.0,,M,,M,,");
        assembler.flush();
        assertThat(epochs).extracting(e -> e.fix().mode()).containsExactly(3, 2);
        assertThat(epochs.get(0).fix().time()).as("no date yet").isNull();
    }
}
