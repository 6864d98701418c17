package io.latchkey.agent.mqtt;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ReconnectBackoffTest {
    @Test
    void delays_doubleFromTheInitialDelay_withinTheJitterBand_andStopGrowingAtTheMaximum() {
        ReconnectBackoff b = new ReconnectBackoff(Duration.ofSeconds(1), Duration.ofSeconds(30), new SplittableRandom(7));

        for (int i = 0; i < 200; i++) {
            assertThat(b.delay(1)).isBetween(Duration.ofMillis(500), Duration.ofMillis(1000));
            assertThat(b.delay(3)).isBetween(Duration.ofMillis(2000), Duration.ofMillis(4000));
            assertThat(b.delay(6)).isBetween(Duration.ofMillis(15000), Duration.ofMillis(30000));
            assertThat(b.delay(1000)).isBetween(Duration.ofMillis(15000), Duration.ofMillis(30000));
        }
    }

    @Test
    void aFleet_doesNotRetryInLockstep() {
        ReconnectBackoff b = new ReconnectBackoff(Duration.ofSeconds(1), Duration.ofSeconds(30), new SplittableRandom(1));

        long distinct = java.util.stream.IntStream.range(0, 100).mapToObj(i -> b.delay(4)).distinct().count();

        assertThat(distinct).isGreaterThan(50);
    }
}
