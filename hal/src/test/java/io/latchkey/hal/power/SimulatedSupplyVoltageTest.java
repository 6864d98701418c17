package io.latchkey.hal.power;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SimulatedSupplyVoltageTest {
    @Test
    void aFailedSource_readsAsUnknown_untilSetAgain() {
        SimulatedSupplyVoltage supply = new SimulatedSupplyVoltage(12.4);
        assertThat(supply.volts()).hasValue(12.4);

        supply.fail();
        assertThat(supply.volts()).isEmpty();

        supply.set(11.2);
        assertThat(supply.volts()).hasValue(11.2);
    }
}
