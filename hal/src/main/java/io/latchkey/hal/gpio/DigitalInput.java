package io.latchkey.hal.gpio;

import io.latchkey.hal.Registration;

import java.util.function.Consumer;

/** One digital input line (feedback contact, switch). {@code active} is logical, after polarity. */
public interface DigitalInput {
    boolean isActive();

    /** Called with the new state on every change, from the driver's thread; keep listeners short. */
    Registration addListener(Consumer<Boolean> listener);

    String name();
}
