package io.latchkey.hal.gpio.pi4j;

import static org.assertj.core.api.Assertions.assertThat;

import com.pi4j.Pi4J;
import com.pi4j.context.Context;
import com.pi4j.io.gpio.digital.DigitalState;
import com.pi4j.plugin.mock.platform.MockPlatform;
import com.pi4j.plugin.mock.provider.gpio.digital.MockDigitalInput;
import com.pi4j.plugin.mock.provider.gpio.digital.MockDigitalInputProvider;
import com.pi4j.plugin.mock.provider.gpio.digital.MockDigitalOutput;
import com.pi4j.plugin.mock.provider.gpio.digital.MockDigitalOutputProvider;
import io.latchkey.hal.gpio.PinConfig;
import io.latchkey.hal.lock.LockState;
import io.latchkey.hal.lock.RelayDoorLocks;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Pi4J's mock platform on x86: the same Pi4J calls as on the Pi, with pins the test drives. */
class Pi4jGpioTest {
    private final Context context = Pi4J.newContextBuilder()
            .noAutoDetect()
            .add(new MockPlatform())
            .add(MockDigitalInputProvider.newInstance(), MockDigitalOutputProvider.newInstance())
            .build();
    private final Pi4jGpio gpio = new Pi4jGpio(context, "mock-digital-output", "mock-digital-input", Duration.ZERO);

    @AfterEach
    void shutdown() {
        gpio.close();
    }

    private MockDigitalInput mockInput(String id) {
        return context.io(id);
    }

    private MockDigitalOutput mockOutput(String id) {
        return context.io(id);
    }

    @Test
    void anActiveLowRelay_isDrivenLowWhenOn_andStartsOff() {
        Pi4jDigitalOutput relay = gpio.output("unlock-relay", new PinConfig(17, false));
        assertThat(mockOutput("unlock-relay").state()).isEqualTo(DigitalState.HIGH);

        relay.set(true);

        assertThat(relay.isOn()).isTrue();
        assertThat(mockOutput("unlock-relay").state()).isEqualTo(DigitalState.LOW);
    }

    @Test
    void anActiveLowContact_readsActiveWhenLow_andFiresListenersOnEveryChange() {
        Pi4jDigitalInput contact = gpio.input("tamper", new PinConfig(19, false));
        mockInput("tamper").mockState(DigitalState.HIGH); // pulled up: the contact is open
        assertThat(contact.isActive()).isFalse();
        List<Boolean> seen = new CopyOnWriteArrayList<>();
        contact.addListener(seen::add);

        mockInput("tamper").mockState(DigitalState.LOW);
        assertThat(contact.isActive()).isTrue();
        mockInput("tamper").mockState(DigitalState.HIGH);

        assertThat(contact.isActive()).isFalse();
        assertThat(seen).containsExactly(true, false);
    }

    @Test
    void relayDoorLocks_runUnchangedOnPi4jLines_andReadTheirStateFromFeedback() {
        Pi4jDigitalOutput unlock = gpio.output("unlock-relay", new PinConfig(17, true));
        Pi4jDigitalOutput lock = gpio.output("lock-relay", new PinConfig(27, true));
        Pi4jDigitalInput feedback = gpio.input("locked-feedback", new PinConfig(5, true));
        // The car's central locking, simulated on the far side of the relays: it follows the pulses.
        mockOutput("unlock-relay").addListener(e -> {
            if (e.state() == DigitalState.HIGH) {
                mockInput("locked-feedback").mockState(DigitalState.LOW);
            }
        });
        mockOutput("lock-relay").addListener(e -> {
            if (e.state() == DigitalState.HIGH) {
                mockInput("locked-feedback").mockState(DigitalState.HIGH);
            }
        });
        RelayDoorLocks locks = new RelayDoorLocks(unlock, lock, feedback, Duration.ZERO, d -> { });
        List<LockState> changes = new CopyOnWriteArrayList<>();
        locks.addListener(changes::add);

        locks.pulseLock();
        assertThat(locks.state()).isEqualTo(LockState.LOCKED);
        locks.pulseUnlock();

        assertThat(locks.state()).isEqualTo(LockState.UNLOCKED);
        assertThat(changes).containsExactly(LockState.LOCKED, LockState.UNLOCKED);
        assertThat(mockOutput("unlock-relay").state()).as("pulse ended").isEqualTo(DigitalState.LOW);
    }
}
