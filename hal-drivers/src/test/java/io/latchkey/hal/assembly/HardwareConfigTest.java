package io.latchkey.hal.assembly;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.latchkey.hal.gpio.PinConfig;
import io.latchkey.hal.config.ConfigException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HardwareConfigTest {
    private static Map<String, String> pi() {
        Map<String, String> m = new HashMap<>();
        m.put("hardware.locks", "pi4j");
        m.put("hardware.gnss", "serial");
        m.put("hardware.gpio.unlock-relay", "17");
        m.put("hardware.gpio.lock-relay", "27");
        m.put("hardware.gpio.locked-feedback", "5");
        return m;
    }

    @Test
    void aPiConfig_readsPinsPolaritiesAndDefaults() {
        Map<String, String> m = pi();
        m.put("hardware.gpio.unlock-relay.active", "low");
        m.put("hardware.lock.pulse", "250ms");

        HardwareConfig c = HardwareConfig.parse(m, Path.of("/etc/latchkey"));

        assertThat(c.pin("unlock-relay")).contains(new PinConfig(17, false));
        assertThat(c.pin("lock-relay")).contains(new PinConfig(27, true));
        assertThat(c.lockPulse()).isEqualTo(Duration.ofMillis(250));
        assertThat(c.can()).isEqualTo(HardwareConfig.Can.NONE);
        assertThat(c.serialPort()).isEqualTo("/dev/ttyACM0");
        assertThat(c.statusLed()).isEqualTo(HardwareConfig.StatusLed.LOG);
    }

    @Test
    void withoutADriverForTheLocks_theConfigIsRefused_neverSimulatedByDefault() {
        Map<String, String> m = pi();
        m.remove("hardware.locks");

        assertThatThrownBy(() -> HardwareConfig.parse(m, null)).isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("hardware.locks is required");
    }

    @Test
    void pi4jLocksWithoutTheFeedbackLine_areRefused_namingTheKey() {
        Map<String, String> m = pi();
        m.remove("hardware.gpio.locked-feedback");

        assertThatThrownBy(() -> HardwareConfig.parse(m, null)).hasMessageStartingWith("hardware.gpio.locked-feedback is required");
    }

    @Test
    void badValues_nameTheKeyAndWhatWasExpected() {
        Map<String, String> bad = pi();
        bad.put("hardware.gpio.lock-relay.active", "sideways");
        assertThatThrownBy(() -> HardwareConfig.parse(bad, null)).hasMessage("hardware.gpio.lock-relay.active: expected high or low, got 'sideways'");

        Map<String, String> typo = pi();
        typo.put("hardware.gpio.unlok-relay", "4");
        assertThatThrownBy(() -> HardwareConfig.parse(typo, null)).hasMessageStartingWith("hardware.gpio.unlok-relay: unknown GPIO line");

        Map<String, String> driver = pi();
        driver.put("hardware.gnss", "usb");
        assertThatThrownBy(() -> HardwareConfig.parse(driver, null)).hasMessage("hardware.gnss: expected serial|gpsd|simulated, got 'usb'");
    }

    @Test
    void canWithoutAProfile_andReplayWithoutAFile_areRefused() {
        Map<String, String> m = pi();
        m.put("hardware.can", "socketcan");
        assertThatThrownBy(() -> HardwareConfig.parse(m, null)).hasMessageStartingWith("hardware.can.profile is required");

        m.put("hardware.can", "candump-replay");
        m.put("hardware.can.profile", "hyundai_i30_2014");
        assertThatThrownBy(() -> HardwareConfig.parse(m, null)).hasMessageStartingWith("hardware.can.replay.file is required");
    }

    @Test
    void gpioLinesWithSimulatedLocks_areRefused_asAMixUp() {
        Map<String, String> m = pi();
        m.put("hardware.locks", "simulated");

        assertThatThrownBy(() -> HardwareConfig.parse(m, null)).hasMessageContaining("hardware.locks is not pi4j");
    }
}
