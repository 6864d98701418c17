package io.latchkey.simulator.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The fleet's {@link Launcher} decides as {@code latchkey-agent-launch} does: the shell script runs with a fake
 * {@code JAVA} that records what it was asked to start and exits with a chosen status, the twin runs on a copy of the
 * same folder layout, and the two must agree on the slot started, the launcher's exit status and every file left in
 * the OTA folder (links, the start count, the roll-back reason).
 */
class LauncherTwinTest {
    private static final Path SCRIPT = Path.of("../device-agent/src/main/dist/latchkey-agent-launch").toAbsolutePath().normalize();

    @TempDir
    Path dir;

    /** A layout: entries "path" (an empty file), "path=text" (a file with text), "link->target" (a symlink). */
    static Stream<Arguments> layouts() {
        List<String> a = List.of("slots/a/device-agent.jar", "slots/a/VERSION=1.0.0");
        List<String> b = List.of("slots/b/device-agent.jar", "slots/b/VERSION=1.1.0");
        return Stream.of(
                Arguments.of("nothing: the factory release", List.of(), 3, 0),
                Arguments.of("current with its jar", join(a, List.of("current->slots/a")), 3, 0),
                Arguments.of("current without a jar: factory", List.of("slots/a/VERSION=1.0.0", "current->slots/a"), 3, 0),
                Arguments.of("trial, first start", join(a, b, List.of("current->slots/a", "trial->slots/b")), 3, 0),
                Arguments.of("trial, third start", join(a, b, List.of("current->slots/a", "trial->slots/b", "trial.boots=2")), 3, 0),
                Arguments.of("trial, starts spent: crash loop", join(a, b, List.of("current->slots/a", "trial->slots/b", "trial.boots=3")), 3, 0),
                Arguments.of("trial, more starts allowed", join(a, b, List.of("current->slots/a", "trial->slots/b", "trial.boots=3")), 5, 0),
                Arguments.of("trial, unreadable count", join(a, b, List.of("current->slots/a", "trial->slots/b", "trial.boots=x1")), 3, 0),
                Arguments.of("trial, empty count", join(a, b, List.of("current->slots/a", "trial->slots/b", "trial.boots=")), 3, 0),
                Arguments.of("trial, two-line count", join(a, b, List.of("current->slots/a", "trial->slots/b", "trial.boots=1\n1")), 3, 0),
                Arguments.of("trial without its jar", join(a, List.of("slots/b/VERSION=1.1.0", "current->slots/a", "trial->slots/b")), 3, 0),
                Arguments.of("trial pointing nowhere, no current", List.of("trial->slots/c"), 3, 0),
                Arguments.of("trial, no current, first start", join(b, List.of("trial->slots/b")), 3, 0),
                Arguments.of("trial exits 2: rolled back", join(a, b, List.of("current->slots/a", "trial->slots/b")), 3, 2),
                Arguments.of("trial exits 3: rolled back", join(a, b, List.of("current->slots/a", "trial->slots/b", "trial.boots=1")), 3, 3),
                Arguments.of("trial exits 1: stays on trial", join(a, b, List.of("current->slots/a", "trial->slots/b")), 3, 1),
                Arguments.of("current exits 2: passed on", join(a, List.of("current->slots/a")), 3, 2),
                Arguments.of("rolled back before, current", join(a, b, List.of("current->slots/a", "rolled-back=CRASH_LOOP: x")), 3, 0),
                Arguments.of("starts spent, two of them watchdog kills", join(a, b, List.of("current->slots/a", "trial->slots/b",
                        "trial.boots=3", "trial.watchdog=2")), 3, 0),
                Arguments.of("starts spent, watchdog count 0", join(a, b, List.of("current->slots/a", "trial->slots/b", "trial.boots=3",
                        "trial.watchdog=0")), 3, 0),
                Arguments.of("starts spent, unreadable watchdog count", join(a, b, List.of("current->slots/a", "trial->slots/b",
                        "trial.boots=3", "trial.watchdog=x")), 3, 0),
                Arguments.of("trial exits 2 with a watchdog count", join(a, b, List.of("current->slots/a", "trial->slots/b",
                        "trial.watchdog=1")), 3, 2));
    }

    /** The unit's ExecStopPost ({@code --stopped}) after a stop: the watchdog kills of a release on trial are counted. */
    static Stream<Arguments> stops() {
        List<String> trial = List.of("slots/a/device-agent.jar", "slots/b/device-agent.jar", "current->slots/a", "trial->slots/b");
        return Stream.of(
                Arguments.of("watchdog kill on trial, first", trial, "watchdog"),
                Arguments.of("watchdog kill on trial, third", join(trial, List.of("trial.watchdog=2")), "watchdog"),
                Arguments.of("watchdog kill, unreadable count", join(trial, List.of("trial.watchdog=zz")), "watchdog"),
                Arguments.of("a crash is not counted", trial, "exit-code"),
                Arguments.of("watchdog kill without a trial", List.of("slots/a/device-agent.jar", "current->slots/a"), "watchdog"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("stops")
    void theTwinCountsWatchdogKillsAsTheScript(String name, List<String> layout, String serviceResult) throws Exception {
        Path scriptOta = lay(dir.resolve("script/ota"), layout);
        Path twinOta = lay(dir.resolve("twin/ota"), layout);
        ProcessBuilder pb = new ProcessBuilder("/bin/sh", SCRIPT.toString(), "--stopped").redirectErrorStream(true);
        pb.environment().put("LATCHKEY_OTA_DIR", scriptOta.toString());
        pb.environment().put("SERVICE_RESULT", serviceResult);
        pb.environment().put("JAVA", "/bin/false");
        Process p = pb.start();
        p.getInputStream().readAllBytes();
        assertThat(p.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).isZero();

        Launcher.stopped(twinOta, serviceResult);

        assertThat(state(twinOta)).as("OTA folder afterwards").isEqualTo(state(scriptOta));
    }

    @SafeVarargs
    private static List<String> join(List<String>... parts) {
        return Stream.of(parts).flatMap(List::stream).toList();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("layouts")
    void theTwinDecidesAsTheScript(String name, List<String> layout, int maxStarts, int exitCode) throws Exception {
        Path scriptOta = lay(dir.resolve("script/ota"), layout);
        Path twinOta = lay(dir.resolve("twin/ota"), layout);
        Path scriptFactory = Files.createDirectories(dir.resolve("script/factory"));
        Path twinFactory = Files.createDirectories(dir.resolve("twin/factory"));

        Path record = dir.resolve("java-called");
        Path fakeJava = dir.resolve("fake-java");
        Files.writeString(fakeJava, "#!/bin/sh\nprintf '%s\\n%s\\n' \"$LATCHKEY_SLOT\" \"$LATCHKEY_SLOT_DIR\" > '" + record
                + "'\nexit " + exitCode + "\n");
        fakeJava.toFile().setExecutable(true);
        ProcessBuilder pb = new ProcessBuilder("/bin/sh", SCRIPT.toString()).redirectErrorStream(true);
        pb.environment().put("LATCHKEY_OTA_DIR", scriptOta.toString());
        pb.environment().put("LATCHKEY_HOME", scriptFactory.toString());
        pb.environment().put("LATCHKEY_TRIAL_STARTS", Integer.toString(maxStarts));
        pb.environment().put("JAVA", fakeJava.toString());
        pb.environment().put("LATCHKEY_CONFIG", dir.resolve("agent.properties").toString());
        Process p = pb.start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(10, TimeUnit.SECONDS)).isTrue();
        int scriptExit = p.exitValue();
        List<String> called = Files.readAllLines(record);

        Launcher.Start start = Launcher.start(twinOta, twinFactory, maxStarts);
        int twinExit = Launcher.exited(twinOta, start, exitCode);

        assertThat(start.mode()).as("slot mode (script said: %s)", output).isEqualTo(called.get(0));
        assertThat(relative(dir.resolve("twin"), start.slot())).as("slot started")
                .isEqualTo(relative(dir.resolve("script").toRealPath(), Path.of(called.get(1))));
        assertThat(twinExit).as("launcher exit status").isEqualTo(scriptExit);
        assertThat(state(twinOta)).as("OTA folder afterwards").isEqualTo(state(scriptOta));
    }

    private static Path lay(Path ota, List<String> layout) throws IOException {
        Files.createDirectories(ota);
        for (String entry : layout) {
            if (entry.contains("->")) {
                String[] parts = entry.split("->");
                Files.createSymbolicLink(ota.resolve(parts[0]), Path.of(parts[1]));
            } else {
                String[] parts = entry.split("=", 2);
                Path file = ota.resolve(parts[0]);
                Files.createDirectories(file.getParent());
                Files.writeString(file, parts.length > 1 ? parts[1] + (parts[1].isEmpty() ? "" : "\n") : "");
            }
        }
        return ota;
    }

    private static String relative(Path base, Path p) throws IOException {
        return base.toRealPath().relativize(p.toRealPath()).toString();
    }

    /** Every entry of the folder: links by target, files by content. */
    private static Map<String, String> state(Path ota) throws IOException {
        Map<String, String> state = new TreeMap<>();
        try (Stream<Path> all = Files.walk(ota)) {
            for (Path p : all.filter(x -> !x.equals(ota)).toList()) {
                String key = ota.relativize(p).toString();
                if (Files.isSymbolicLink(p)) {
                    state.put(key, "-> " + Files.readSymbolicLink(p));
                } else if (Files.isRegularFile(p)) {
                    state.put(key, Files.readString(p));
                }
            }
        }
        return new LinkedHashMap<>(state);
    }
}
