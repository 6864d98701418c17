package io.latchkey.hal.gpio;

/**
 * One digital output line (a relay driver). {@code on} means "energised" in the logical sense: an
 * implementation maps it to high or low according to the pin's configured polarity.
 */
public interface DigitalOutput {
    /** Drives the line; throws {@link io.latchkey.hal.HalException} if the hardware refuses. */
    void set(boolean on);

    /** The state last set. */
    boolean isOn();

    String name();
}
