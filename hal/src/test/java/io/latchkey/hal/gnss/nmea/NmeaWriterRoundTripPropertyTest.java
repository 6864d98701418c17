package io.latchkey.hal.gnss.nmea;

import static io.latchkey.hal.gnss.nmea.NmeaWriterTest.roundTrip;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.latchkey.hal.gnss.GnssFix;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** What the simulator writes, the agent's parser reads back, within the writer's documented precision. */
class NmeaWriterRoundTripPropertyTest {

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
}
