package io.latchkey.simulator.fleet;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalLong;

/**
 * Whether this process may open enough files for a fleet, checked before the first car starts: each
 * agent holds its journal segment, its journal cursor and its MQTT socket open (two more sockets per car
 * when the fleet runs through the fault-injecting relay). Without the check, the car that crosses the
 * limit fails half-way through a start with "Too many open files" (measured: 6,267 of 8,000 cars at a
 * limit of 20,000).
 */
public final class FileHandleBudget {
    /** Files per car: journal segment, journal cursor, MQTT socket. Measured 3.1, rounded up. */
    public static final double PER_CAR = 3.25;
    /** Extra per car through the relay: its socket to the car and its socket to the broker. */
    public static final int PER_CAR_RELAYED = 2;
    /** The rest of the process: jars, logs, the HTTP client, the JVM. */
    private static final int BASE = 500;

    private FileHandleBudget() {
    }

    /** A fleet this process cannot hold; the message says what to do. */
    public static final class FleetTooLargeException extends IllegalStateException {
        FleetTooLargeException(String message) {
            super(message);
        }
    }

    /** Files a fleet of {@code cars} needs, relayed or not. */
    public static long needed(int cars, boolean relayed) {
        return BASE + (long) Math.ceil(cars * (PER_CAR + (relayed ? PER_CAR_RELAYED : 0)));
    }

    /**
     * @throws FleetTooLargeException with what to do, when the soft limit on open files (read from
     *                               {@code /proc/self/limits}) is below what the fleet needs
     */
    public static void require(int cars, boolean relayed) {
        OptionalLong limit = softLimit(Path.of("/proc/self/limits"));
        long needed = needed(cars, relayed);
        if (limit.isPresent() && limit.getAsLong() < needed) {
            throw new FleetTooLargeException(String.format("%,d cars need about %,d open files (journal segment, journal "
                    + "cursor and MQTT socket per car%s), but this process may open %,d ('ulimit -n'): raise the limit "
                    + "or split the fleet over several simulator processes (docs/simulator.md, Scale)",
                    cars, needed, relayed ? ", and two relay sockets" : "", limit.getAsLong()));
        }
    }

    /** The soft "Max open files" limit in a {@code /proc/<pid>/limits} file; empty if unknown or unlimited. */
    static OptionalLong softLimit(Path limits) {
        List<String> lines;
        try {
            lines = Files.readAllLines(limits);
        } catch (IOException | RuntimeException e) {
            return OptionalLong.empty(); // not Linux: nothing to check against
        }
        for (String line : lines) {
            if (line.startsWith("Max open files")) {
                String[] fields = line.substring("Max open files".length()).trim().split("\\s+");
                if (fields.length > 0 && fields[0].matches("\\d+")) {
                    return OptionalLong.of(Long.parseLong(fields[0]));
                }
                return OptionalLong.empty();
            }
        }
        return OptionalLong.empty();
    }
}
