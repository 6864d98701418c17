package io.latchkey.agent.status;

import static org.assertj.core.api.Assertions.assertThat;

import io.latchkey.hal.gpio.SimulatedDigitalOutput;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class GpioStatusIndicatorTest {
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
    private final SimulatedDigitalOutput led = new SimulatedDigitalOutput("status-led");

    @AfterEach
    void stop() {
        scheduler.shutdownNow();
    }

    @Test
    void everyStateHasADistinctPattern_andOnlineIsSteady() {
        assertThat(java.util.Arrays.stream(AgentState.values()).map(BlinkPattern::of).distinct()).hasSize(AgentState.values().length);
        assertThat(BlinkPattern.of(AgentState.ONLINE).steady()).isTrue();
        assertThat(BlinkPattern.of(AgentState.OFFLINE_BUFFERING).steps()).containsExactly(Duration.ofMillis(100), Duration.ofMillis(1900));
    }

    @Test
    void online_turnsTheLedOnSteadily_andClose_leavesItOff() {
        GpioStatusIndicator indicator = new GpioStatusIndicator(led, scheduler);

        indicator.show(AgentState.ONLINE);
        assertThat(led.isOn()).isTrue();

        indicator.close();
        assertThat(led.isOn()).isFalse();
    }

    @Test
    void aBlinkingState_startsWithTheLedOn() {
        GpioStatusIndicator indicator = new GpioStatusIndicator(led, scheduler);

        indicator.show(AgentState.FAULT);

        assertThat(led.activations()).isGreaterThanOrEqualTo(1);
        assertThat(indicator.current()).isEqualTo(AgentState.FAULT);
        indicator.close();
    }
}
