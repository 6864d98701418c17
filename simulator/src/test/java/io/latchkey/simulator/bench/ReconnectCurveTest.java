package io.latchkey.simulator.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ReconnectCurveTest {
    /** 1,000 cars: none for 2 s, then 100 per second from 2 s to 11 s, the last 100 at 20 s (a backoff's tail). */
    private static ReconnectCurve fleetOf1000() {
        ReconnectCurve c = new ReconnectCurve(1000, 0);
        for (double t = 0; t <= 25; t += 0.25) {
            int n;
            if (t < 2) {
                n = 0;
            } else if (t < 11) {
                n = (int) Math.floor((t - 2) * 100);
            } else if (t < 20) {
                n = 900;
            } else {
                n = 1000;
            }
            c.add(t, n);
        }
        return c;
    }

    @Test
    void timeToAShare_isTheFirstSampleWithThatManyCars() {
        ReconnectCurve c = fleetOf1000();
        assertThat(c.timeTo(0.001)).isEqualTo(2.25); // the first car
        assertThat(c.timeTo(0.5)).isEqualTo(7.0);
        assertThat(c.timeTo(0.9)).isEqualTo(11.0);
        assertThat(c.timeTo(0.99)).isEqualTo(20.0);
        assertThat(c.timeTo(1.0)).isEqualTo(20.0);
    }

    @Test
    void sessionsPerSecond_countsTheBulkNotTheTail() {
        ReconnectCurve c = fleetOf1000();
        // 10 % (100 cars) at 3.0 s, 90 % at 11.0 s: 800 sessions in 8 s
        assertThat(c.sessionsPerSecond()).isEqualTo(100.0);
        // the tail's 100 cars arrived between two samples 0.25 s apart, within one second of the 900th
        assertThat(c.peakSessionsPerSecond()).isEqualTo(100.0);
    }

    @Test
    void peakRate_withSamplesThatAreNotAWholeSecondApart() {
        // sampled every 0.3 s (the bench asks every 250 ms plus the time the fleet takes to answer): 100 cars per second
        ReconnectCurve c = new ReconnectCurve(1000, 0);
        for (int i = 0; i <= 20; i++) {
            c.add(i * 0.3, i * 30);
        }
        assertThat(c.peakSessionsPerSecond()).isCloseTo(100.0, org.assertj.core.data.Offset.offset(1e-9));
    }

    @Test
    void aFleetThatNeverGotThere_hasNoRateAndNoTime() {
        ReconnectCurve c = new ReconnectCurve(1000, 0);
        c.add(0, 0);
        c.add(1, 50);
        c.add(2, 80);
        assertThat(c.timeTo(0.5)).isEqualTo(-1);
        assertThat(c.sessionsPerSecond()).isEqualTo(-1);
        assertThat(c.peakSessionsPerSecond()).isEqualTo(50.0);
        assertThat(c.figures()).containsEntry("sessions per second, 10 % to 90 % of the fleet", "not measured");
    }

    @Test
    void samplesOutOfOrder_areRefused() {
        ReconnectCurve c = new ReconnectCurve(10, 0);
        c.add(2, 1);
        assertThatThrownBy(() -> c.add(1, 2)).isInstanceOf(IllegalArgumentException.class);
    }
}
