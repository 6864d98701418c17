package io.latchkey.hal.gnss.gpsd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.latchkey.hal.gnss.GnssFix;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class GpsdGnssTest {

    /** gpsd's own output for nl2008u, as a real gpsd sends it: TPV, SKY and the sentences it echoed. */
    private static List<String> chkReports(String capture) throws IOException {
        try (InputStream in = Objects.requireNonNull(GpsdGnssTest.class.getResourceAsStream("/nmea/" + capture + ".log.chk"))) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().map(String::strip)
                    .filter(l -> l.startsWith("{")).toList();
        }
    }

    private static List<GnssFix> await(List<GnssFix> fixes, int count) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (fixes.size() < count && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        return fixes;
    }

    @Test
    void watches_andReportsEveryTpv_fromGpsdsOwnOutput() throws Exception {
        List<String> reports = chkReports("nl2008u");
        long tpvs = reports.stream().filter(l -> l.startsWith("{\"class\":\"TPV\"")).count();
        try (FakeGpsd gpsd = new FakeGpsd(List.of(reports));
             GpsdGnss gnss = new GpsdGnss(gpsd.address(), Duration.ofMillis(10), Duration.ofMillis(50))) {
            List<GnssFix> fixes = new CopyOnWriteArrayList<>();
            gnss.addListener(fixes::add);
            gnss.start();
            assertThat(await(fixes, (int) tpvs)).hasSize((int) tpvs);
            assertThat(gpsd.commands.poll(5, TimeUnit.SECONDS)).isEqualTo(GpsdGnss.WATCH.strip());
            GnssFix last = gnss.latest().orElseThrow();
            assertThat(last.time()).isEqualTo(Instant.parse("2035-05-26T09:34:53.000Z"));
            assertThat(last.mode()).isEqualTo(GnssFix.MODE_3D);
            assertThat(last.lat()).isCloseTo(48.2208, within(1e-9));
            assertThat(last.lon()).isCloseTo(8.421881667, within(1e-9));
            assertThat(last.altMsl()).isEqualTo(723.7);
            assertThat(fixes.get(0).mode()).isEqualTo(GnssFix.MODE_2D);
            assertThat(fixes.get(0).altMsl()).isNull();
            assertThat(gnss.badLines()).isZero();
        }
    }

    @Test
    void reconnects_whenGpsdGoesAway_andSkipsBadLines() throws Exception {
        List<String> first = List.of("{\"class\":\"TPV\",\"mode\":1}", "not json at all", "{\"class\":\"TPV\",\"mode\":3,\"lat\":\"north\",\"lon\":2}");
        List<String> second = List.of("{\"class\":\"TPV\",\"mode\":2,\"time\":\"2026-01-01T00:00:00.000Z\",\"lat\":1.5,\"lon\":-2.5,\"speed\":3.0}");
        try (FakeGpsd gpsd = new FakeGpsd(List.of(first, second));
             GpsdGnss gnss = new GpsdGnss(gpsd.address(), Duration.ofMillis(10), Duration.ofMillis(50))) {
            List<GnssFix> fixes = new CopyOnWriteArrayList<>();
            gnss.addListener(fixes::add);
            gnss.start();
            assertThat(await(fixes, 2)).hasSize(2);
            assertThat(gnss.connections()).as("the listening socket may take a third connection in its backlog").isGreaterThanOrEqualTo(2);
            assertThat(gnss.badLines()).isEqualTo(2);
            assertThat(fixes.get(1)).isEqualTo(new GnssFix(Instant.parse("2026-01-01T00:00:00Z"), 2, 1.5, -2.5, null, 3.0, null));
        }
    }

    @Test
    void tpv_fieldRules() {
        assertThat(GpsdTpv.parse("{\"class\":\"SKY\"}")).isEmpty();
        assertThat(GpsdTpv.parse("{\"class\":\"TPV\",\"mode\":0,\"lat\":1,\"lon\":2}")).hasValue(new GnssFix(null, 1, null, null, null, null, null));
        assertThat(GpsdTpv.parse("{\"class\":\"TPV\",\"mode\":3,\"lat\":1,\"lon\":2,\"alt\":12.5}").orElseThrow().altMsl()).isEqualTo(12.5);
    }
}
