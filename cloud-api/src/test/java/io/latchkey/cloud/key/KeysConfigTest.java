package io.latchkey.cloud.key;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micronaut.context.ApplicationContext;
import io.micronaut.context.env.Environment;
import io.micronaut.context.exceptions.ConfigurationException;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class KeysConfigTest {
    @Test
    void aLifetimeInRange_isKept() {
        assertThat(new KeysConfig(Duration.ofMinutes(1)).lifetime()).isEqualTo(Duration.ofMinutes(1));
        assertThat(new KeysConfig(Duration.ofHours(12)).lifetime()).isEqualTo(Duration.ofHours(12));
        assertThat(new KeysConfig(Duration.ofHours(48)).lifetime()).isEqualTo(Duration.ofHours(48));
    }

    @Test
    void aLifetimeOutOfRange_orMissing_isRefusedNamingTheKey() {
        for (Duration bad : new Duration[] {Duration.ofSeconds(59), Duration.ofHours(49), Duration.ZERO, null}) {
            assertThatThrownBy(() -> new KeysConfig(bad)).as(String.valueOf(bad)).isInstanceOf(ConfigurationException.class)
                    .hasMessageContaining("latchkey.keys.lifetime").hasMessageContaining("1m and 48h");
        }
    }

    @Test
    void aLifetimeThatIsNoDuration_stopsTheStart_insteadOfFallingBackToTheDefault() {
        try (ApplicationContext context = ApplicationContext.builder(Map.of("latchkey.keys.lifetime", "half a day")).build()) {
            Environment environment = context.getEnvironment().start();
            assertThatThrownBy(() -> new KeysConfigCheck(environment, new KeysConfig(Duration.ofHours(12))))
                    .isInstanceOf(ConfigurationException.class).hasMessageContaining("latchkey.keys.lifetime")
                    .hasMessageContaining("half a day");
        }
        try (ApplicationContext context = ApplicationContext.builder(Map.of("latchkey.keys.lifetime", "6h")).build()) {
            new KeysConfigCheck(context.getEnvironment().start(), new KeysConfig(Duration.ofHours(6)));
        }
    }
}
