package io.latchkey.simulator.route;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * A Manhattan street grid around a home location: blocks of {@code blockMetres}, {@code radiusBlocks}
 * blocks in each direction. A trip goes from the nearest intersection to a random other one along the
 * streets, east-west first or north-south first at random, one waypoint per corner. Seeded randomness
 * makes a fleet's trips reproducible.
 */
public final class StreetGrid implements RouteSource {
    private final GeoPoint home;
    private final double blockMetres;
    private final int radiusBlocks;
    private final RandomGenerator random;

    public StreetGrid(GeoPoint home, double blockMetres, int radiusBlocks, RandomGenerator random) {
        if (blockMetres <= 0 || radiusBlocks < 1) {
            throw new IllegalArgumentException("a grid needs a positive block size and at least one block");
        }
        this.home = Objects.requireNonNull(home, "home");
        this.blockMetres = blockMetres;
        this.radiusBlocks = radiusBlocks;
        this.random = Objects.requireNonNull(random, "random");
    }

    public GeoPoint home() {
        return home;
    }

    /** The intersection {@code east} blocks east and {@code north} blocks north of home. */
    public GeoPoint intersection(int east, int north) {
        return home.offset(north * blockMetres, east * blockMetres);
    }

    @Override
    public List<GeoPoint> nextRoute(GeoPoint from) {
        int[] start = nearest(from);
        int[] end;
        do {
            end = new int[] {random.nextInt(-radiusBlocks, radiusBlocks + 1), random.nextInt(-radiusBlocks, radiusBlocks + 1)};
        } while (end[0] == start[0] && end[1] == start[1]);
        List<GeoPoint> route = new ArrayList<>();
        GeoPoint first = intersection(start[0], start[1]);
        if (first.distanceM(from) > 0.5) {
            route.add(first);
        }
        boolean eastFirst = random.nextBoolean();
        int e = start[0];
        int n = start[1];
        for (int leg = 0; leg < 2; leg++) {
            boolean east = (leg == 0) == eastFirst;
            while (east ? e != end[0] : n != end[1]) {
                if (east) {
                    e += Integer.signum(end[0] - e);
                } else {
                    n += Integer.signum(end[1] - n);
                }
                route.add(intersection(e, n));
            }
        }
        return route;
    }

    private int[] nearest(GeoPoint p) {
        double north = (p.lat() - home.lat()) / (home.offset(blockMetres, 0).lat() - home.lat());
        double east = (p.lon() - home.lon()) / (home.offset(0, blockMetres).lon() - home.lon());
        return new int[] {clamp((int) Math.round(east)), clamp((int) Math.round(north))};
    }

    private int clamp(int v) {
        return Math.max(-radiusBlocks, Math.min(radiusBlocks, v));
    }
}
