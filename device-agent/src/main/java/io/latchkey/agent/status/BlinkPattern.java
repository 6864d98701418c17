package io.latchkey.agent.status;

import java.time.Duration;
import java.util.List;

/**
 * How the LED shows each state: alternating on/off durations, repeated; a single entry means steady.
 * Chosen to be told apart at a glance from a metre away:
 * <pre>
 * BOOTING            fast flicker     100 ms on, 100 ms off
 * CONNECTING         slow blink       500 ms on, 500 ms off
 * ONLINE             steady on
 * OFFLINE_BUFFERING  short heartbeat  100 ms on, 1900 ms off
 * FAULT              double flash     100 on, 200 off, 100 on, 1600 off
 * </pre>
 */
public record BlinkPattern(List<Duration> steps) {
    public static BlinkPattern of(AgentState state) {
        return switch (state) {
            case BOOTING -> ms(100, 100);
            case CONNECTING -> ms(500, 500);
            case ONLINE -> ms(1000);
            case OFFLINE_BUFFERING -> ms(100, 1900);
            case FAULT -> ms(100, 200, 100, 1600);
        };
    }

    public boolean steady() {
        return steps.size() == 1;
    }

    /** Whether the LED is on during step {@code i} (even steps are on). */
    public static boolean onDuring(int i) {
        return i % 2 == 0;
    }

    private static BlinkPattern ms(long... millis) {
        return new BlinkPattern(java.util.Arrays.stream(millis).mapToObj(Duration::ofMillis).toList());
    }
}
