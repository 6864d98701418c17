package io.latchkey.cloud.it;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A bad configuration value stops the start with a message naming the key. */
class StartupConfigIT {
    @TempDir
    Path dataDir;

    @Test
    void accessTokenTtl_over15Minutes_stopsTheStart() {
        assertThatThrownBy(() -> CloudApp.start(dataDir, Map.of("latchkey.tokens.access-ttl", "20m")))
                .hasStackTraceContaining("latchkey.tokens.access-ttl must be more than 0 and at most 15m");
    }

    @Test
    void aPortThatIsNotANumber_stopsTheStart_insteadOfFallingBackToTheDefault() {
        assertThatThrownBy(() -> CloudApp.start(dataDir, Map.of("latchkey.mqtt.port", "abc")))
                .hasStackTraceContaining("latchkey.mqtt.port must be a whole number, got 'abc'");
    }

    @Test
    void brokerTlsPortAndPlainListenerSwitch_thatDoNotConvert_stopTheStartNamingTheKey() {
        assertThatThrownBy(() -> CloudApp.start(dataDir, Map.of("latchkey.mqtt.tls-port", "eighty")))
                .hasStackTraceContaining("latchkey.mqtt.tls-port must be a whole number, got 'eighty'");
        assertThatThrownBy(() -> CloudApp.start(dataDir, Map.of("latchkey.mqtt.allow-plain-loopback", "sometimes")))
                .hasStackTraceContaining("latchkey.mqtt.allow-plain-loopback must be true or false, got 'sometimes'");
    }

    @Test
    void aTimeoutThatIsNotADuration_stopsTheStart() {
        assertThatThrownBy(() -> CloudApp.start(dataDir, Map.of("latchkey.commands.timeout", "soon")))
                .hasStackTraceContaining("latchkey.commands.timeout must be a duration");
    }

    @Test
    void externalBroker_withoutUrl_stopsTheStart() {
        assertThatThrownBy(() -> CloudApp.start(dataDir, Map.of("latchkey.mqtt.embedded", "false")))
                .hasStackTraceContaining("latchkey.mqtt.url must be");
    }

    @Test
    void shortAdminPassword_stopsTheStart() {
        assertThatThrownBy(() -> CloudApp.start(dataDir, Map.of("latchkey.admin.password", "short")))
                .hasStackTraceContaining("latchkey.admin.password");
    }
}
