package io.latchkey.cloud.telemetry;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * Douglas-Peucker simplification of a path of [lon, lat] points, to a bounded number of points for display:
 * the tolerance starts at one metre and doubles until the path fits. Distances are measured in a local
 * equirectangular projection (metres), exact enough at the scale of one trip.
 */
public final class PathSimplifier {
    private PathSimplifier() {
    }

    /** At most {@code maxPoints} (at least 2) of the points, first and last always kept. */
    public static List<List<Double>> simplify(List<List<Double>> points, int maxPoints) {
        if (maxPoints < 2) {
            throw new IllegalArgumentException("maxPoints must be at least 2");
        }
        if (points.size() <= maxPoints) {
            return List.copyOf(points);
        }
        double tolerance = 1.0;
        List<List<Double>> kept = points;
        while (kept.size() > maxPoints) {
            kept = douglasPeucker(points, tolerance);
            tolerance *= 2;
        }
        return kept;
    }

    /** The points Douglas-Peucker keeps at {@code toleranceM} metres. */
    public static List<List<Double>> douglasPeucker(List<List<Double>> points, double toleranceM) {
        int n = points.size();
        if (n <= 2) {
            return List.copyOf(points);
        }
        double lat0 = Math.toRadians(points.get(0).get(1));
        double[] x = new double[n];
        double[] y = new double[n];
        for (int i = 0; i < n; i++) {
            x[i] = Math.toRadians(points.get(i).get(0)) * Math.cos(lat0) * io.latchkey.cloud.car.Geo.EARTH_RADIUS_M;
            y[i] = Math.toRadians(points.get(i).get(1)) * io.latchkey.cloud.car.Geo.EARTH_RADIUS_M;
        }
        boolean[] keep = new boolean[n];
        keep[0] = true;
        keep[n - 1] = true;
        Deque<int[]> ranges = new ArrayDeque<>();
        ranges.push(new int[]{0, n - 1});
        while (!ranges.isEmpty()) {
            int[] range = ranges.pop();
            int first = range[0];
            int last = range[1];
            double worst = -1;
            int index = -1;
            for (int i = first + 1; i < last; i++) {
                double d = distanceToSegment(x[i], y[i], x[first], y[first], x[last], y[last]);
                if (d > worst) {
                    worst = d;
                    index = i;
                }
            }
            if (index >= 0 && worst > toleranceM) {
                keep[index] = true;
                ranges.push(new int[]{first, index});
                ranges.push(new int[]{index, last});
            }
        }
        List<List<Double>> kept = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            if (keep[i]) {
                kept.add(points.get(i));
            }
        }
        return kept;
    }

    private static double distanceToSegment(double px, double py, double ax, double ay, double bx, double by) {
        double dx = bx - ax;
        double dy = by - ay;
        double length2 = dx * dx + dy * dy;
        double t = length2 == 0 ? 0 : Math.max(0, Math.min(1, ((px - ax) * dx + (py - ay) * dy) / length2));
        double cx = ax + t * dx - px;
        double cy = ay + t * dy - py;
        return Math.sqrt(cx * cx + cy * cy);
    }
}
