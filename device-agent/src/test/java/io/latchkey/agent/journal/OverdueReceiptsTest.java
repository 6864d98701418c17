package io.latchkey.agent.journal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class OverdueReceiptsTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    @Test
    void resendDelays_doubleFromTheReceiptTimeout_withJitter_capped_atThirtyTimesIt() {
        for (int run = 0; run < 100; run++) {
            OverdueReceipts o = new OverdueReceipts(TIMEOUT, new SplittableRandom(run));
            List<Duration> delays = new ArrayList<>();
            for (int i = 0; i < 12; i++) {
                delays.add(o.overdue().resendAfter());
            }
            assertThat(delays.get(0)).isBetween(Duration.ofSeconds(5), Duration.ofSeconds(10));
            assertThat(delays.get(1)).isBetween(Duration.ofSeconds(10), Duration.ofSeconds(20));
            assertThat(delays.get(2)).isBetween(Duration.ofSeconds(20), Duration.ofSeconds(40));
            assertThat(delays.get(4)).isBetween(Duration.ofSeconds(80), Duration.ofSeconds(160));
            assertThat(delays.subList(5, 12)).allSatisfy(d -> assertThat(d).isBetween(Duration.ofSeconds(150), Duration.ofSeconds(300)));
        }
    }

    @Test
    void aFleet_doesNotResendInLockstep() {
        long distinct = java.util.stream.IntStream.range(0, 100).mapToObj(car -> {
            OverdueReceipts o = new OverdueReceipts(TIMEOUT, new SplittableRandom(car));
            o.overdue();
            return o.overdue().resendAfter();
        }).distinct().count();

        assertThat(distinct).isGreaterThan(50);
    }

    @Test
    void theSession_isChecked_atTheThirdOverdueReceipt_renewedAtTheSixth_thenAtEveryDoubling_neverOnEach() {
        OverdueReceipts o = new OverdueReceipts(TIMEOUT, new SplittableRandom(1));
        List<Integer> checks = new ArrayList<>();
        List<Integer> renewals = new ArrayList<>();
        for (int i = 1; i <= 100; i++) {
            OverdueReceipts.Step step = o.overdue();
            assertThat(step.inARow()).isEqualTo(i);
            if (step.session() == OverdueReceipts.Session.CHECK) {
                checks.add(i);
            } else if (step.session() == OverdueReceipts.Session.RENEW) {
                renewals.add(i);
            }
        }

        assertThat(checks).containsExactly(3);
        assertThat(renewals).containsExactly(6, 12, 24, 48, 96);
    }

    @Test
    void aReleasingReceipt_startsTheCountAgain() {
        OverdueReceipts o = new OverdueReceipts(TIMEOUT, new SplittableRandom(1));
        o.overdue();
        o.overdue();
        o.reset();

        OverdueReceipts.Step step = o.overdue();
        assertThat(step.inARow()).isEqualTo(1);
        assertThat(step.checkSession()).isFalse();
        assertThat(step.resendAfter()).isBetween(Duration.ofSeconds(5), Duration.ofSeconds(10));
    }
}
