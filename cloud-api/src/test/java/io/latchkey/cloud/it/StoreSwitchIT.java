package io.latchkey.cloud.it;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** latchkey.store.type is checked at start: a bad value or a missing platform account stops it, naming the key. */
class StoreSwitchIT {
    @TempDir
    Path dataDir;

    @Test
    void anUnknownStoreType_stopsTheStart_namingTheKey() {
        assertThatThrownBy(() -> CloudApp.start(dataDir, Map.of("latchkey.store.type", "s3")).close())
                .hasStackTraceContaining("latchkey.store.type must be file or azure, got 's3'");
    }

    @Test
    void azureWithoutAPlatformAccount_stopsTheStart_namingTheKey() {
        assertThatThrownBy(() -> CloudApp.start(dataDir, Map.of("latchkey.store.type", "azure")).close())
                .hasStackTraceContaining("latchkey.store.azure.platform.connection-string is required");
    }
}
