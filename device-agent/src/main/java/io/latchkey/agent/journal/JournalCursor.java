package io.latchkey.agent.journal;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Properties;

/**
 * The journal's small persistent state, {@code cursor}: the highest sequence the cloud receipted (stored)
 * ({@code acked}), and the running eviction counts. Replaced atomically (temporary file, fsync,
 * rename), so a crash leaves the old or the new one. A cursor that lags only causes resends, which the
 * cloud de-duplicates; it is never ahead of the data, since only fsynced records are published.
 */
final class JournalCursor {
    static final String FILE_NAME = "cursor";

    record State(long ackedSeq, long evictedRecords, long reportedEvictions) {
        static final State EMPTY = new State(0, 0, 0);
    }

    private final Path file;
    private final Path tmp;

    JournalCursor(Path dir) {
        this.file = dir.resolve(FILE_NAME);
        this.tmp = dir.resolve(FILE_NAME + ".tmp");
    }

    /** The stored state; a missing or unreadable cursor reads as empty (everything is resent). */
    State read() {
        if (!Files.isRegularFile(file)) {
            return State.EMPTY;
        }
        try {
            Properties p = new Properties();
            p.load(new java.io.StringReader(Files.readString(file, StandardCharsets.US_ASCII)));
            return new State(number(p, "acked"), number(p, "evicted"), number(p, "reported-evictions"));
        } catch (IOException | IllegalArgumentException e) {
            return State.EMPTY;
        }
    }

    void write(State s) throws IOException {
        String text = "acked=" + s.ackedSeq() + "\nevicted=" + s.evictedRecords()
                + "\nreported-evictions=" + s.reportedEvictions() + "\n";
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            ch.write(java.nio.ByteBuffer.wrap(text.getBytes(StandardCharsets.US_ASCII)));
            ch.force(false);
        }
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    private static long number(Properties p, String key) {
        String v = p.getProperty(key, "0").strip();
        long n = Long.parseLong(v);
        if (n < 0) {
            throw new IllegalArgumentException(key + " < 0");
        }
        return n;
    }
}
