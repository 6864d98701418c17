package io.latchkey.hal.power;

import java.util.OptionalDouble;

/**
 * The car's 12 V supply as the device measures it, for battery protection: an agent that keeps a
 * modem and a Pi awake drains a parked car's battery in a couple of weeks.
 */
public interface SupplyVoltage {
    /**
     * The latest reading in volts; empty when the source has none yet or cannot be read (an ADC that
     * does not answer). Never throws for a missing reading; callers treat empty as "unknown", not as low.
     */
    OptionalDouble volts();

    /** A short name for logs and the status output ({@code simulated}, {@code ads1115@0x48}). */
    String name();
}
