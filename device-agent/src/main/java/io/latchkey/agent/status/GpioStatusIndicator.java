package io.latchkey.agent.status;

import io.latchkey.hal.gpio.DigitalOutput;
import java.util.Objects;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Blinks an LED on a GPIO line in the {@link BlinkPattern} of the current state; the LED is left off on close. */
public final class GpioStatusIndicator implements StatusIndicator {
    private static final Logger LOG = LoggerFactory.getLogger(GpioStatusIndicator.class);

    private final DigitalOutput led;
    private final ScheduledExecutorService scheduler;
    private AgentState current;
    private BlinkPattern pattern;
    private int step;
    private ScheduledFuture<?> next;
    private boolean closed;

    public GpioStatusIndicator(DigitalOutput led, ScheduledExecutorService scheduler) {
        this.led = Objects.requireNonNull(led, "led");
        this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
    }

    @Override
    public synchronized void show(AgentState state) {
        if (closed || state == current) {
            return;
        }
        current = state;
        pattern = BlinkPattern.of(state);
        step = 0;
        if (next != null) {
            next.cancel(false);
        }
        apply();
    }

    private synchronized void apply() {
        if (closed) {
            return;
        }
        try {
            led.set(BlinkPattern.onDuring(step));
        } catch (RuntimeException e) {
            LOG.debug("status LED {}: {}", led.name(), e.toString());
        }
        if (!pattern.steady()) {
            long nanos = pattern.steps().get(step).toNanos();
            step = (step + 1) % pattern.steps().size();
            next = scheduler.schedule(this::apply, nanos, TimeUnit.NANOSECONDS);
        }
    }

    public synchronized AgentState current() {
        return current;
    }

    @Override
    public synchronized void close() {
        closed = true;
        if (next != null) {
            next.cancel(false);
        }
        try {
            led.set(false);
        } catch (RuntimeException e) {
            LOG.debug("status LED {}: {}", led.name(), e.toString());
        }
    }
}
