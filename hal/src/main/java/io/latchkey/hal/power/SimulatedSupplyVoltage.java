package io.latchkey.hal.power;

import java.util.OptionalDouble;

/** A supply the simulator or a test sets; starts at a healthy 12.6 V unless told otherwise. */
public final class SimulatedSupplyVoltage implements SupplyVoltage {
    private volatile double volts;
    private volatile boolean available = true;

    public SimulatedSupplyVoltage(double initialVolts) {
        this.volts = initialVolts;
    }

    public SimulatedSupplyVoltage() {
        this(12.6);
    }

    public void set(double volts) {
        this.volts = volts;
        this.available = true;
    }

    /** Makes the reading unavailable, as an ADC that stopped answering. */
    public void fail() {
        this.available = false;
    }

    @Override
    public OptionalDouble volts() {
        return available ? OptionalDouble.of(volts) : OptionalDouble.empty();
    }

    @Override
    public String name() {
        return "simulated";
    }
}
