package io.latchkey.simulator.route;

import java.util.List;

/** Where a car drives next: a street grid around its home, or a recorded track. */
public interface RouteSource {
    /**
     * The waypoints of the next trip from {@code from}, in order, not including {@code from}; never
     * empty.
     */
    List<GeoPoint> nextRoute(GeoPoint from);
}
