package io.latchkey.agent.ota;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;

/**
 * The bytes an agent may download per UTC day for updates ({@code ota.bytes-per-day}), kept in a small file so that a
 * restart does not reset it: a SIM's data plan is the limit, and a loop of restarts must not spend it.
 */
public final class DownloadBudget {
    private final Path file;
    private final long perDay;
    private final Clock clock;
    private LocalDate day;
    private long used;

    public DownloadBudget(Path file, long perDay, Clock clock) {
        if (perDay <= 0) {
            throw new IllegalArgumentException("bytes per day must be > 0");
        }
        this.file = file;
        this.perDay = perDay;
        this.clock = clock;
        try {
            String[] parts = Files.readString(file).strip().split(" ");
            day = LocalDate.parse(parts[0]);
            used = Long.parseLong(parts[1]);
        } catch (IOException | RuntimeException e) {
            day = today();
            used = 0;
        }
    }

    /** The bytes left today. */
    public synchronized long remaining() {
        roll();
        return Math.max(0, perDay - used);
    }

    public synchronized long usedToday() {
        roll();
        return used;
    }

    /** Counts bytes downloaded; persisted at once (the file is a few bytes). */
    public synchronized void charge(long bytes) {
        roll();
        used += bytes;
        try {
            Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
            Files.writeString(tmp, day + " " + used + "\n");
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            // kept in memory: the count is a limit, not a record
        }
    }

    private void roll() {
        LocalDate today = today();
        if (!today.equals(day)) {
            day = today;
            used = 0;
        }
    }

    private LocalDate today() {
        return LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC);
    }
}
