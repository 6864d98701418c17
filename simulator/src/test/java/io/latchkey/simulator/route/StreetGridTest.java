package io.latchkey.simulator.route;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class StreetGridTest {
    private static final GeoPoint HOME = new GeoPoint(48.137, 11.575);

    @Test
    void route_goesCornerToCorner_oneBlockAtATime() {
        StreetGrid grid = new StreetGrid(HOME, 100, 5, new SplittableRandom(7));
        GeoPoint from = HOME;
        for (int trip = 0; trip < 50; trip++) {
            List<GeoPoint> route = grid.nextRoute(from);
            assertThat(route).isNotEmpty();
            for (GeoPoint p : route) {
                assertThat(from.distanceM(p)).isCloseTo(100, org.assertj.core.data.Offset.offset(0.5));
                from = p;
            }
        }
    }

    @Test
    void sameSeed_sameTrips() {
        List<GeoPoint> a = new StreetGrid(HOME, 100, 5, new SplittableRandom(3)).nextRoute(HOME);
        List<GeoPoint> b = new StreetGrid(HOME, 100, 5, new SplittableRandom(3)).nextRoute(HOME);

        assertThat(a).isEqualTo(b);
    }
}
