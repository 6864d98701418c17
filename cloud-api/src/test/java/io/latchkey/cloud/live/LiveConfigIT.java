package io.latchkey.cloud.live;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.latchkey.cloud.it.CloudApp;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** A live-feed bound that is out of range, or not a number or duration at all, stops the start naming the key. */
class LiveConfigIT {
    @TempDir
    Path dataDir;

    @ParameterizedTest
    @CsvSource({"keep-alive,soon,must be a duration", "connection-queue,0,must be between 1 and 100000",
            "replay-events,many,must be a whole number", "snapshot-refresh,2h,must be a duration between 100ms and 1m"})
    void aBadBound_stopsTheStart(String key, String value, String message) {
        assertThatThrownBy(() -> CloudApp.start(dataDir, Map.of("latchkey.live." + key, value)))
                .hasStackTraceContaining("latchkey.live." + key + " " + message);
    }
}
