package io.latchkey.simulator.scenario;

import java.util.Arrays;

/** Nearest-rank percentiles over a set of samples. */
public final class Percentiles {
    private final long[] sorted;

    public Percentiles(long[] samples) {
        if (samples.length == 0) {
            throw new IllegalArgumentException("no samples");
        }
        this.sorted = samples.clone();
        Arrays.sort(sorted);
    }

    /** The smallest sample with at least {@code p} percent of the samples at or below it. */
    public long at(double p) {
        if (p <= 0) {
            return sorted[0];
        }
        int rank = (int) Math.ceil(p / 100.0 * sorted.length);
        return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1];
    }

    public long max() {
        return sorted[sorted.length - 1];
    }

    public double mean() {
        return Arrays.stream(sorted).average().orElse(0);
    }

    public int count() {
        return sorted.length;
    }
}
