package io.latchkey.simulator.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

class PercentilesTest {
    @Test
    void nearestRank_onOneToAHundred_givesTheRankItself() {
        Percentiles p = new Percentiles(LongStream.rangeClosed(1, 100).map(i -> 101 - i).toArray());

        assertThat(p.at(50)).isEqualTo(50);
        assertThat(p.at(95)).isEqualTo(95);
        assertThat(p.at(99)).isEqualTo(99);
        assertThat(p.max()).isEqualTo(100);
        assertThat(p.mean()).isEqualTo(50.5);
    }

    @Test
    void aSingleSample_isEveryPercentile() {
        Percentiles p = new Percentiles(new long[] {7});

        assertThat(p.at(1)).isEqualTo(7);
        assertThat(p.at(99)).isEqualTo(7);
    }
}
