package io.latchkey.agent.key;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KeyStateFileTest {
    static final Instant END = Instant.parse("2026-12-05T12:00:00Z");
    static final String A = "key-00000000000000a1";
    static final String B = "key-00000000000000b2";

    @TempDir
    Path dir;

    @Test
    void qrCountersAndTheChallengeCounter_surviveARestart() {
        KeyStateFile s = KeyStateFile.open(dir);
        s.acceptQrCounter(A, 5, END, null);
        s.acceptQrCounter(B, 2, END, null);
        s.acceptQrCounter(A, 9, END, null);
        long counter = s.nextCounter();
        s.lowerBound(Instant.parse("2026-12-05T10:00:00Z"));
        s.close();

        KeyStateFile again = KeyStateFile.open(dir);
        assertThat(again.lastQrCounter(A)).isEqualTo(9);
        assertThat(again.lastQrCounter(B)).isEqualTo(2);
        assertThat(again.lastQrCounter("key-00000000000000c3")).isZero();
        assertThat(again.nextCounter()).as("never repeats: the rest of the reserved block is skipped")
                .isGreaterThan(counter).isEqualTo(counter + KeyStateFile.COUNTER_BLOCK);
        assertThat(again.lowerBound()).isEqualTo(Instant.parse("2026-12-05T10:00:00Z"));
        again.close();
    }

    @Test
    void aFullLog_isFoldedIntoTheStateFile_andStartsOver_losingNothing() throws Exception {
        KeyStateFile s = KeyStateFile.open(dir);
        for (int i = 1; i <= KeyStateFile.LOG_SLOTS + 5; i++) {
            s.acceptQrCounter(i % 2 == 0 ? A : B, i, END, null);
        }
        s.close();
        assertThat(Files.readString(dir.resolve("keys/state.json"))).contains(A, B);
        assertThat(Files.size(dir.resolve("keys/qr-counters.log"))).isEqualTo((long) KeyStateFile.RECORD * KeyStateFile.LOG_SLOTS);

        KeyStateFile again = KeyStateFile.open(dir);
        assertThat(again.lastQrCounter(A)).isEqualTo(KeyStateFile.LOG_SLOTS + 4);
        assertThat(again.lastQrCounter(B)).isEqualTo(KeyStateFile.LOG_SLOTS + 5);
        again.close();
    }

    @Test
    void aTornRecord_isSkipped_andTheOthersCount() throws Exception {
        KeyStateFile s = KeyStateFile.open(dir);
        s.acceptQrCounter(A, 3, END, null);
        s.acceptQrCounter(B, 4, END, null);
        s.close();
        try (FileChannel ch = FileChannel.open(dir.resolve("keys/qr-counters.log"), StandardOpenOption.WRITE)) {
            ch.write(ByteBuffer.wrap("key-00000000000000b2   12x".getBytes(StandardCharsets.US_ASCII)), KeyStateFile.RECORD);
        }
        KeyStateFile again = KeyStateFile.open(dir);
        assertThat(again.lastQrCounter(A)).isEqualTo(3);
        assertThat(again.lastQrCounter(B)).as("its record was torn before the car acted on it").isZero();
        again.close();
    }

    @Test
    void aDamagedStateFile_isKeptAside_andTheCarStartsAfresh() throws Exception {
        Files.createDirectories(dir.resolve("keys"));
        Files.writeString(dir.resolve("keys/state.json"), "{not json");
        KeyStateFile s = KeyStateFile.open(dir);
        assertThat(s.lowerBound()).isNull();
        assertThat(Files.exists(dir.resolve("keys/state.json.damaged"))).isTrue();
        s.close();
    }
}
