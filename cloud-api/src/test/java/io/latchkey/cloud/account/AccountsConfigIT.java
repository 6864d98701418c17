package io.latchkey.cloud.account;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.latchkey.cloud.it.CloudApp;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

/** The reset window is checked at start-up: outside 15..60 minutes, or not a duration, the start stops. */
class AccountsConfigIT {
    @TempDir
    Path dataDir;

    @ParameterizedTest
    @ValueSource(strings = {"14m", "61m", "2h", "0s", "soon"})
    void aResetWindowOutsidePolicy_stopsTheStart_namingTheKey(String window) {
        assertThatThrownBy(() -> CloudApp.start(dataDir, Map.of("latchkey.accounts.reset-window", window)))
                .hasStackTraceContaining("latchkey.accounts.reset-window must be");
    }
}
