package io.latchkey.simulator.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class IngestionCapacityTest {
    private static final long SECOND = 1_000_000_000L;

    /** A run that stores 1,000 records/s for 10 s while the JIT warms up, then 3,000 records/s for 10 s. */
    private static List<long[]> warmingUp() {
        List<long[]> samples = new ArrayList<>();
        long count = 0;
        for (int s = 0; s <= 20; s++) {
            samples.add(new long[] {5 * SECOND + s * SECOND, count});
            count += s < 10 ? 1_000 : 3_000;
        }
        return samples;
    }

    @Test
    void theSecondHalf_isTheRateAfterWarmUp_notTheRunsAverage() {
        assertThat(IngestionCapacity.secondHalf(warmingUp())).isCloseTo(3_000, within(0.1));
    }

    @Test
    void theBest5s_isTheFastestWindow() {
        assertThat(IngestionCapacity.best5s(warmingUp())).isCloseTo(3_000, within(0.1));
    }

    @Test
    void oneSample_hasNoSecondHalf() {
        assertThat(IngestionCapacity.secondHalf(List.of(new long[] {SECOND, 10}))).isZero();
    }
}
