package io.latchkey.cloud.command;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micronaut.context.exceptions.ConfigurationException;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class CommandConfigTest {
    @Test
    void copies_doubleTheirGap_andLeaveAWholeIntervalOfTheLifetime() {
        assertThat(new CommandConfig(Duration.ofSeconds(10), Duration.ofSeconds(1), null).copiesAt())
                .containsExactly(Duration.ZERO, Duration.ofSeconds(1), Duration.ofSeconds(3), Duration.ofSeconds(7));
        assertThat(new CommandConfig(Duration.ofSeconds(2), Duration.ofMillis(300), null).copiesAt())
                .containsExactly(Duration.ZERO, Duration.ofMillis(300), Duration.ofMillis(900));
        assertThat(new CommandConfig(Duration.ofSeconds(1), Duration.ofSeconds(1), null).copiesAt())
                .as("a lifetime of one interval: one copy").containsExactly(Duration.ZERO);
    }

    @Test
    void aResendTooShort_isRefused_andNoneMeansTheDefault() {
        assertThatThrownBy(() -> new CommandConfig(Duration.ofSeconds(10), Duration.ofMillis(50), null))
                .isInstanceOf(ConfigurationException.class).hasMessageContaining("latchkey.commands.resend");
        assertThat(new CommandConfig(Duration.ofSeconds(10), null, null).resend()).isEqualTo(Duration.ofSeconds(1));
    }

    @Test
    void slowAfter_defaultsToOneSecond_zeroIsOff_negativeIsRefused() {
        assertThat(new CommandConfig(Duration.ofSeconds(10), null, null).slowAfter()).isEqualTo(Duration.ofSeconds(1));
        assertThat(new CommandConfig(Duration.ofSeconds(10), null, Duration.ZERO).slowAfter()).isZero();
        assertThatThrownBy(() -> new CommandConfig(Duration.ofSeconds(10), null, Duration.ofMillis(-1)))
                .isInstanceOf(ConfigurationException.class).hasMessageContaining("latchkey.commands.slow-after");
    }
}
