package io.latchkey.hal.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConfigValuesTest {
    @Test
    void durations_acceptTheSameUnitsForEveryKey() {
        assertThat(ConfigValues.duration("k", "250ms")).isEqualTo(Duration.ofMillis(250));
        assertThat(ConfigValues.duration("k", "5s")).isEqualTo(Duration.ofSeconds(5));
        assertThat(ConfigValues.duration("k", "2m")).isEqualTo(Duration.ofMinutes(2));
        assertThat(ConfigValues.duration("k", "1h")).isEqualTo(Duration.ofHours(1));
        assertThat(ConfigValues.duration("k", "7d")).isEqualTo(Duration.ofDays(7));
        assertThat(ConfigValues.duration("k", " PT5S ")).isEqualTo(Duration.ofSeconds(5));
        assertThat(new ConfigValues(Map.of("hardware.lock.pulse", "1d")).duration("hardware.lock.pulse", Duration.ZERO, false))
                .isEqualTo(Duration.ofDays(1));
    }

    @Test
    void everyRefusal_namesTheKeyAndWhatWasExpected() {
        assertThatThrownBy(() -> ConfigValues.duration("a.b", "soon")).isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("a.b: expected a duration");
        assertThatThrownBy(() -> ConfigValues.duration("a.b", "0s", false)).hasMessage("a.b: expected a positive duration, got '0s'");
        assertThatThrownBy(() -> ConfigValues.size("a.b", "lots")).hasMessageStartingWith("a.b: expected a size");
        assertThatThrownBy(() -> ConfigValues.integer("a.b", "x")).hasMessage("a.b: expected an integer, got 'x'");
        assertThatThrownBy(() -> ConfigValues.integer("a.b", "9", 1, 5)).hasMessage("a.b: expected an integer 1..5, got '9'");
        assertThatThrownBy(() -> ConfigValues.decimal("a.b", "x")).hasMessage("a.b: expected a number, got 'x'");
        assertThatThrownBy(() -> ConfigValues.bool("a.b", "maybe")).hasMessage("a.b: expected true or false, got 'maybe'");
        assertThatThrownBy(() -> ConfigValues.choice("a.b", "blue", Thread.State.class))
                .hasMessageStartingWith("a.b: expected new|runnable|blocked|waiting|timed-waiting|terminated, got 'blue'");
    }

    @Test
    void sizes_useBinaryUnits() {
        assertThat(ConfigValues.size("k", "512KiB")).isEqualTo(512 * 1024);
        assertThat(ConfigValues.size("k", "32MB")).isEqualTo(32L * 1024 * 1024);
        assertThat(ConfigValues.size("k", "1G")).isEqualTo(1024L * 1024 * 1024);
    }
}
