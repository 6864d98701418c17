package io.latchkey.agent.telemetry;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileSequenceCounterTest {
    @TempDir
    Path dir;

    @Test
    void sequence_startsAtOne_andContinuesAfterARestart() {
        FileSequenceCounter first = new FileSequenceCounter(dir);
        assertThat(first.last()).isZero();
        assertThat(first.next()).isEqualTo(1);
        assertThat(first.next()).isEqualTo(2);

        FileSequenceCounter restarted = new FileSequenceCounter(dir);

        assertThat(restarted.last()).isEqualTo(2);
        assertThat(restarted.next()).isEqualTo(3);
    }
}
