package io.latchkey.hal.gpio.pi4j;

import com.pi4j.Pi4J;
import com.pi4j.context.Context;
import com.pi4j.io.gpio.digital.DigitalState;
import com.pi4j.io.gpio.digital.PullResistance;
import io.latchkey.hal.gpio.PinConfig;
import io.latchkey.hal.HalException;
import java.time.Duration;
import java.util.Objects;

/**
 * Opens GPIO lines through one Pi4J context. On the Pi, {@link #gpiod()} builds the context with the
 * gpiod providers only (no auto-detection, so a mock provider on the classpath can never be picked
 * up silently); tests pass a context built with the mock platform and providers.
 */
public final class Pi4jGpio implements AutoCloseable {
    public static final String GPIOD_OUTPUT = "gpiod-digital-output";
    public static final String GPIOD_INPUT = "gpiod-digital-input";

    private final Context context;
    private final String outputProvider;
    private final String inputProvider;
    private final Duration debounce;

    public Pi4jGpio(Context context, String outputProvider, String inputProvider, Duration debounce) {
        this.context = Objects.requireNonNull(context, "context");
        this.outputProvider = Objects.requireNonNull(outputProvider, "outputProvider");
        this.inputProvider = Objects.requireNonNull(inputProvider, "inputProvider");
        this.debounce = Objects.requireNonNull(debounce, "debounce");
    }

    /** The Raspberry Pi's GPIO character device through libgpiod. */
    public static Pi4jGpio gpiod(Duration debounce) {
        try {
            Context context = Pi4J.newContextBuilder()
                    .noAutoDetect()
                    .add(com.pi4j.plugin.gpiod.provider.gpio.digital.GpioDDigitalOutputProvider.newInstance(),
                            com.pi4j.plugin.gpiod.provider.gpio.digital.GpioDDigitalInputProvider.newInstance())
                    .build();
            return new Pi4jGpio(context, GPIOD_OUTPUT, GPIOD_INPUT, debounce);
        } catch (RuntimeException | LinkageError e) {
            throw new HalException("cannot open the GPIO chip through Pi4J/gpiod (is this a Raspberry Pi, "
                    + "and may this user open /dev/gpiochip*?): " + e, e);
        }
    }

    /** An output that starts, and is left on shutdown, in its logical off state. */
    public Pi4jDigitalOutput output(String id, PinConfig pin) {
        DigitalState off = pin.activeHigh() ? DigitalState.LOW : DigitalState.HIGH;
        try {
            var out = context.create(com.pi4j.io.gpio.digital.DigitalOutput.newConfigBuilder(context)
                    .id(id).name(id).address(pin.address()).initial(off).shutdown(off).provider(outputProvider));
            return new Pi4jDigitalOutput(out, pin.activeHigh());
        } catch (RuntimeException e) {
            throw new HalException("GPIO " + id + " (line " + pin.address() + "): cannot open as output: " + e.getMessage(), e);
        }
    }

    public Pi4jDigitalInput input(String id, PinConfig pin) {
        try {
            var in = context.create(com.pi4j.io.gpio.digital.DigitalInput.newConfigBuilder(context)
                    .id(id).name(id).address(pin.address())
                    .pull(pin.activeHigh() ? PullResistance.PULL_DOWN : PullResistance.PULL_UP)
                    .debounce(debounce.toNanos() / 1000)
                    .provider(inputProvider));
            return new Pi4jDigitalInput(in, pin.activeHigh());
        } catch (RuntimeException e) {
            throw new HalException("GPIO " + id + " (line " + pin.address() + "): cannot open as input: " + e.getMessage(), e);
        }
    }

    /** Drives every output to its shutdown (off) state and releases the lines. */
    @Override
    public void close() {
        context.shutdown();
    }
}
