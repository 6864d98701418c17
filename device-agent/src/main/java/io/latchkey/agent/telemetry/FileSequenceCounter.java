package io.latchkey.agent.telemetry;

import io.latchkey.agent.AgentException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Keeps the last sequence number in a small file under the data directory, replaced atomically (write
 * to a temporary file, then rename) on every number, so that a restart continues where it stopped
 * instead of reusing numbers the cloud would discard as duplicates. No fsync. The agent now numbers
 * records from its journal ({@code JournalSequenceCounter}); this counter remains for sinks without a
 * journal, and its file is read once as a floor so that an upgraded car never reuses a number.
 */
public final class FileSequenceCounter implements SequenceCounter {
    public static final String FILE_NAME = "telemetry.seq";

    private final Path file;
    private final Path tmp;
    private long last;

    public FileSequenceCounter(Path dataDir) {
        this.file = dataDir.resolve(FILE_NAME);
        this.tmp = dataDir.resolve(FILE_NAME + ".tmp");
        try {
            Files.createDirectories(dataDir);
            if (Files.exists(file)) {
                last = Long.parseLong(Files.readString(file, StandardCharsets.US_ASCII).strip());
            }
        } catch (IOException | NumberFormatException e) {
            throw new AgentException("cannot read telemetry sequence " + file + ": " + e.getMessage(), e);
        }
    }

    /** The last number a walking-skeleton agent stored under {@code dataDir}, or 0 if none or unreadable. */
    public static long legacyLast(Path dataDir) {
        Path file = dataDir.resolve(FILE_NAME);
        try {
            return Files.exists(file) ? Long.parseLong(Files.readString(file, StandardCharsets.US_ASCII).strip()) : 0;
        } catch (IOException | NumberFormatException e) {
            return 0;
        }
    }

    @Override
    public synchronized long next() {
        long n = last + 1;
        try {
            Files.writeString(tmp, Long.toString(n), StandardCharsets.US_ASCII);
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new AgentException("cannot write telemetry sequence " + file + ": " + e.getMessage(), e);
        }
        last = n;
        return n;
    }

    @Override
    public synchronized long last() {
        return last;
    }
}
