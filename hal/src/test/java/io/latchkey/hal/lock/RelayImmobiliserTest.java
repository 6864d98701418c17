package io.latchkey.hal.lock;

import static org.assertj.core.api.Assertions.assertThat;

import io.latchkey.hal.gpio.SimulatedDigitalInput;
import io.latchkey.hal.gpio.SimulatedDigitalOutput;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RelayImmobiliserTest {
    private final SimulatedDigitalOutput relay = new SimulatedDigitalOutput("immobiliser");

    @Test
    void immobilise_holdsTheRelayEnergised_untilMobilised() {
        RelayImmobiliser immobiliser = new RelayImmobiliser(relay);

        immobiliser.immobilise();
        assertThat(relay.isOn()).isTrue();
        assertThat(immobiliser.isImmobilised()).isTrue();

        immobiliser.mobilise();
        assertThat(relay.isOn()).isFalse();
        assertThat(immobiliser.isImmobilised()).isFalse();
    }

    @Test
    void withAFeedbackContact_theStateComesFromTheContact_notFromTheRelayLine() {
        SimulatedDigitalInput cut = new SimulatedDigitalInput("starter-cut", false);
        RelayImmobiliser immobiliser = new RelayImmobiliser(relay, Optional.of(cut));

        immobiliser.immobilise();

        assertThat(immobiliser.isImmobilised()).as("relay energised, but the circuit is not cut").isFalse();
        cut.drive(true);
        assertThat(immobiliser.isImmobilised()).isTrue();
    }
}
