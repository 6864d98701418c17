package io.latchkey.simulator.fleet;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * The Java twin of {@code device-agent/src/main/dist/latchkey-agent-launch} (docs/ota.md §5): which release a car's
 * agent starts from, and the files the launcher changes on the way (the trial's start count, a roll-back). The fleet
 * asks it at every (re)start of a car's process, on the car's own OTA folder; {@code LauncherTwinTest} runs the shell
 * script with a fake {@code JAVA} on the same folder layouts and compares, so the two cannot drift apart.
 *
 * <ol>
 *   <li>{@code trial} is a link: no {@code device-agent.jar} in it → roll back ({@code MISSING_FILES}); started
 *       {@code maxStarts} times already (an unreadable count is a spent one) → roll back ({@code CRASH_LOOP}); else count
 *       the start and start it;</li>
 *   <li>else {@code current} with its jar → start it;</li>
 *   <li>else the package's release (the factory slot).</li>
 * </ol>
 * Starts spent with watchdog kills counted ({@code trial.watchdog}, see {@link #stopped}) say so in the reason.
 * A release on trial that exits with 2 or 3 (statuses systemd does not restart) while still on trial is rolled back
 * ({@code EXIT_2}, {@code EXIT_3}) and the launcher exits 1.
 */
public final class Launcher {
    public static final String TRIAL = "trial";
    public static final String CURRENT = "current";
    public static final String FACTORY = "factory";
    public static final int DEFAULT_MAX_STARTS = 3;
    static final String JAR = "device-agent.jar";
    static final String WATCHDOG = "trial.watchdog";

    /**
     * What the launcher started: {@code mode} ({@code trial}, {@code current}, {@code factory}, the agent's
     * {@code LATCHKEY_SLOT}) and the slot's real path ({@code LATCHKEY_SLOT_DIR}).
     */
    public record Start(String mode, Path slot) {
        public boolean onTrial() {
            return TRIAL.equals(mode);
        }
    }

    private Launcher() {
    }

    /** The launcher's decision at a start, with its side effects on {@code ota} (the start count, a roll-back). */
    public static Start start(Path ota, Path factory, int maxStarts) {
        Path trial = ota.resolve(TRIAL);
        if (Files.isSymbolicLink(trial)) {
            long boots = boots(ota, maxStarts);
            if (!Files.isRegularFile(trial.resolve(JAR))) {
                rollBack(ota, "MISSING_FILES: the slot on trial has no device-agent.jar");
            } else if (boots >= maxStarts) {
                String kills = read(ota.resolve(WATCHDOG)).orElse("");
                rollBack(ota, "CRASH_LOOP: started " + boots + " times without marking itself good"
                        + (kills.isEmpty() || !digits(kills) || kills.equals("0") ? ""
                        : ", " + kills + " of them ended by the watchdog (hung)"));
            } else {
                write(ota.resolve("trial.boots"), Long.toString(boots + 1));
                return new Start(TRIAL, real(trial));
            }
        }
        Path current = ota.resolve(CURRENT);
        if (Files.isSymbolicLink(current) && Files.isRegularFile(current.resolve(JAR))) {
            return new Start(CURRENT, real(current));
        }
        return new Start(FACTORY, factory);
    }

    /**
     * The process started by {@code start} has exited with {@code code}: what the launcher exits with (systemd then
     * restarts it unless that is 2 or 3, which only a release not on trial can give).
     */
    public static int exited(Path ota, Start start, int code) {
        if (start.onTrial() && Files.isSymbolicLink(ota.resolve(TRIAL)) && (code == 2 || code == 3)) {
            rollBack(ota, "EXIT_" + code + ": the release on trial exited with status " + code);
            return 1;
        }
        return code;
    }

    /**
     * {@code latchkey-agent-launch --stopped}, the unit's {@code ExecStopPost}: after systemd's watchdog killed a release
     * on trial ({@code SERVICE_RESULT=watchdog}) the kill is counted in {@code trial.watchdog} (an unreadable count is 0).
     */
    public static void stopped(Path ota, String serviceResult) {
        if ("watchdog".equals(serviceResult) && Files.isSymbolicLink(ota.resolve(TRIAL))) {
            String kills = read(ota.resolve(WATCHDOG)).orElse("0");
            long n = kills.isEmpty() || !digits(kills) ? 0 : Long.parseLong(kills);
            write(ota.resolve(WATCHDOG), Long.toString(n + 1));
        }
    }

    /** A file's text as {@code $(cat FILE)} gives it (trailing newlines dropped), if it can be read. */
    private static java.util.Optional<String> read(Path file) {
        try {
            return java.util.Optional.of(Files.readString(file, StandardCharsets.UTF_8).replaceAll("\n+$", ""));
        } catch (IOException e) {
            return java.util.Optional.empty();
        }
    }

    private static boolean digits(String text) {
        return text.chars().allMatch(c -> c >= '0' && c <= '9');
    }

    private static long boots(Path ota, int maxStarts) {
        String text;
        try {
            text = Files.readString(ota.resolve("trial.boots"), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return 0; // no count yet: the script's `cat … || echo 0`
        }
        text = text.replaceAll("\n+$", ""); // what $(cat …) drops
        if (text.isEmpty() || !text.chars().allMatch(c -> c >= '0' && c <= '9')) {
            return maxStarts; // an unreadable count is a spent one
        }
        try {
            return Long.parseLong(text);
        } catch (NumberFormatException e) {
            return maxStarts;
        }
    }

    private static void rollBack(Path ota, String reason) {
        write(ota.resolve("rolled-back"), reason);
        try {
            Files.deleteIfExists(ota.resolve(TRIAL));
            Files.deleteIfExists(ota.resolve("trial.boots"));
            Files.deleteIfExists(ota.resolve(WATCHDOG));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The script's {@code write}: the text and a newline into FILE.tmp, renamed over FILE. */
    private static void write(Path file, String text) {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        try {
            Files.writeString(tmp, text + "\n", StandardCharsets.UTF_8);
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Path real(Path link) {
        try {
            return link.toRealPath();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
