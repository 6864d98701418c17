package io.latchkey.hal.gnss.nmea;

import static org.assertj.core.api.Assertions.assertThat;

import io.latchkey.hal.gnss.GnssFix;
import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class NmeaGnssTest {

    @Test
    void readFrom_aRealCapture_reportsEveryCycle_andKeepsTheLatest() throws IOException {
        NmeaGnss gnss = new NmeaGnss();
        List<GnssFix> fixes = new ArrayList<>();
        gnss.addListener(fixes::add);
        assertThat(gnss.latest()).isEmpty();
        try (InputStream in = NmeaCapturesTest.resource("nl2008u.log")) {
            gnss.readFrom(in);
        }
        assertThat(fixes).as("one report per cycle").hasSize(9);
        assertThat(gnss.latest()).hasValueSatisfying(f -> {
            assertThat(f.time()).isEqualTo(Instant.parse("2015-10-10T09:34:53Z"));
            assertThat(f.mode()).isEqualTo(GnssFix.MODE_3D);
        });
        assertThat(gnss.rejectedLines()).isZero();
    }

    @Test
    void badLines_areCountedAndReported_notThrown() {
        List<NmeaParseException> errors = new ArrayList<>();
        NmeaGnss gnss = new NmeaGnss(errors::add);
        gnss.acceptLine("$GPRMC,143307.50,A,5546.82314,N,02334.71118,E,31.351,221.51,091209,,,A*5D");
        gnss.acceptLine("$GPRMC,143307.50,A,5546.82314,N,0233");
        gnss.acceptLine("\u0000\u00ff");
        gnss.acceptLine("# a comment is not an error");
        assertThat(gnss.rejectedLines()).isEqualTo(3);
        assertThat(errors).hasSize(3);
    }

    @Test
    void simulatorPath_writerToGnss_reportsTheFixAfterFlush() {
        NmeaGnss gnss = new NmeaGnss();
        GnssFix fix = new GnssFix(Instant.parse("2026-01-02T03:04:05.06Z"), 3, 52.52, 13.405, 34.0, 8.3, 270.0);
        new NmeaWriter("GN").sentences(fix).forEach(gnss::acceptLine);
        gnss.flush();
        assertThat(gnss.latest()).hasValueSatisfying(f -> {
            assertThat(f.time()).isEqualTo(fix.time());
            assertThat(f.lat()).isEqualTo(52.52, org.assertj.core.api.Assertions.within(1e-7));
        });
    }
}
