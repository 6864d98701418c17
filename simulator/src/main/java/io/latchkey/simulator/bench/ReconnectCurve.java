package io.latchkey.simulator.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How a fleet came back after a broker restart: the number of connected cars sampled over time, and from it the time
 * to a share of the fleet and the rate of new sessions. The time to the last car says how long the slowest car's
 * backoff was; the rate between 10 % and 90 % of the fleet says how many TLS sessions per second the cars and the
 * broker established while many were waiting (the figure that bounds a larger fleet).
 */
final class ReconnectCurve {
    private final int fleetSize;
    private final int connectedBefore;
    private final List<double[]> samples = new ArrayList<>();

    /** @param connectedBefore cars still counted as connected at the start (0 after the broker was killed) */
    ReconnectCurve(int fleetSize, int connectedBefore) {
        if (fleetSize <= 0) {
            throw new IllegalArgumentException("fleet size must be positive, got " + fleetSize);
        }
        this.fleetSize = fleetSize;
        this.connectedBefore = connectedBefore;
    }

    /** A sample: {@code connected} cars at {@code seconds} after the broker was started again; in time order. */
    void add(double seconds, int connected) {
        if (!samples.isEmpty() && seconds < samples.get(samples.size() - 1)[0]) {
            throw new IllegalArgumentException("samples must come in time order");
        }
        samples.add(new double[] {seconds, connected});
    }

    /** The first time at least {@code share} of the fleet was connected, or -1 if never. */
    double timeTo(double share) {
        double wanted = Math.ceil(share * fleetSize);
        for (double[] s : samples) {
            if (s[1] >= wanted) {
                return s[0];
            }
        }
        return -1;
    }

    /** Sessions per second between 10 % and 90 % of the fleet connected; -1 if the fleet did not get there. */
    double sessionsPerSecond() {
        double t10 = timeTo(0.10);
        double t90 = timeTo(0.90);
        if (t10 < 0 || t90 < 0) {
            return -1;
        }
        double n10 = countAt(t10);
        double n90 = countAt(t90);
        if (t90 <= t10) {
            return -1; // all within one sample: too fast to tell at this sampling
        }
        return (n90 - n10) / (t90 - t10);
    }

    /**
     * The highest rate of new sessions over the shortest window of at least one second ending at each sample (the
     * samples come every ~250 ms plus the time it takes to ask the fleet, so windows of exactly one second are rare).
     */
    double peakSessionsPerSecond() {
        double best = 0;
        int from = 0;
        for (int to = 0; to < samples.size(); to++) {
            while (from + 1 < to && samples.get(to)[0] - samples.get(from + 1)[0] >= 1.0 - 1e-9) {
                from++;
            }
            double span = samples.get(to)[0] - samples.get(from)[0];
            if (span >= 1.0 - 1e-9) {
                best = Math.max(best, (samples.get(to)[1] - samples.get(from)[1]) / span);
            }
        }
        return best;
    }

    private double countAt(double seconds) {
        for (double[] s : samples) {
            if (s[0] >= seconds) {
                return s[1];
            }
        }
        return connectedBefore;
    }

    /** The figures for the report, by name. */
    Map<String, Object> figures() {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("first car connected after (s)", round(timeTo(1.0 / fleetSize)));
        r.put("50 % / 90 % / 99 % of the cars connected after (s)", round(timeTo(0.5)) + " / " + round(timeTo(0.9)) + " / "
                + round(timeTo(0.99)));
        double rate = sessionsPerSecond();
        r.put("sessions per second, 10 % to 90 % of the fleet", rate < 0 ? "not measured" : Math.round(rate));
        r.put("sessions per second, best second", Math.round(peakSessionsPerSecond()));
        return r;
    }

    private static double round(double seconds) {
        return seconds < 0 ? -1 : Math.round(seconds * 10) / 10.0;
    }
}
