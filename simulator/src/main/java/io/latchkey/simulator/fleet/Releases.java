package io.latchkey.simulator.fleet;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * How the fleet's cars take part in over-the-air updates (docs/simulator.md, "Rollouts"): every (re)start of a car's
 * process goes through the {@link Launcher} twin on the car's {@code ota} folder (under its data directory), and the
 * agent is told the slot and version it runs from; an agent that installs a release or rolls back "exits" and the
 * fleet starts it again after {@code restartDelay}, as systemd would ({@code Restart=always}).
 *
 * @param factory        the package's release folder (the launcher's {@code LATCHKEY_HOME})
 * @param factoryVersion the version of that release (what a car with no slot runs)
 * @param maxStarts      the launcher's {@code LATCHKEY_TRIAL_STARTS}
 * @param restartDelay   systemd's {@code RestartSec}, also how long a power cut lasts
 * @param faults         which cars have a bad build of which release, and where their power is cut
 * @param events         what happened to each car's process (starts, crashes, roll-backs, power cuts), for reports
 */
public record Releases(Path factory, String factoryVersion, int maxStarts, Duration restartDelay, Faults faults,
                       Consumer<Event> events) {
    public Releases {
        Objects.requireNonNull(factory, "factory");
        Objects.requireNonNull(factoryVersion, "factoryVersion");
        Objects.requireNonNull(restartDelay, "restartDelay");
        faults = faults == null ? Faults.NONE : faults;
        events = events == null ? e -> { } : events;
    }

    /** What a bad build does on a car when it is started on trial. */
    public enum BadBuild {
        /** A good build. */
        NONE(-1),
        /** The process exits (status 1) before connecting, at every start: the launcher's start count catches it. */
        CRASH(1),
        /** The process exits with 2 (bad configuration) at start: the launcher rolls back at once. */
        EXIT_2(2),
        /** The process starts but never connects (its self-test never passes): the agent's own timer rolls back. */
        HANG(-1);

        private final int exitCode;

        BadBuild(int exitCode) {
            this.exitCode = exitCode;
        }

        /** The status the process exits with at once, or -1 if it keeps running. */
        public int exitCode() {
            return exitCode;
        }
    }

    /** The steps of an install or a mark-good (the agent's {@code Slots.Step} names) a power cut may hit. */
    public static final List<String> POWER_CUT_STEPS = List.of("write-pending", "commit-pending", "delete-rolled-back",
            "empty-slot", "write-files", "file:device-agent.jar", "write-version", "delete-trial.boots", "link-trial",
            "commit-trial", "commit-current");

    /** Per car: its build of a release, and the step of the slots' changes at which its power is cut (once). */
    public interface Faults {
        Faults NONE = new Faults() {
        };

        default BadBuild badBuild(String deviceId, String version) {
            return BadBuild.NONE;
        }

        /** A step name from {@link #POWER_CUT_STEPS}, or null for no power cut. */
        default String powerCutAt(String deviceId) {
            return null;
        }
    }

    /** One thing that happened to a car's process: {@code kind} START (detail: mode and version), EXIT, POWER_CUT, RESTART. */
    public record Event(String deviceId, String kind, String detail, Instant at) {
    }
}
