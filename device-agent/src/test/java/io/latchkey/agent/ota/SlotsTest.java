package io.latchkey.agent.ota;

import static org.assertj.core.api.Assertions.assertThat;

import io.latchkey.protocol.ota.UpdateManifest;
import io.latchkey.protocol.ota.UpdateVerifier;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The slots and the launcher the systemd unit runs ({@code src/main/dist/latchkey-agent-launch}), on the file system:
 * installs cut by a power cut before every step, the trial's starts counted to a roll-back, a crash loop, a release
 * that exits with a status systemd would not restart, and the agent's own roll-back after a failed self-test.
 */
class SlotsTest {
    static final Path LAUNCHER = Path.of("src/main/dist/latchkey-agent-launch");

    @TempDir
    Path tmp;
    Path ota;
    Path factory;
    Path log;
    Path fakeJava;
    Path bundle;
    UpdateManifest manifest;

    static final class PowerCut extends RuntimeException {
        PowerCut(String step) {
            super("power cut before " + step);
        }
    }

    @BeforeEach
    void setUp() throws Exception {
        ota = tmp.resolve("ota");
        factory = Releases.release(tmp.resolve("opt"), "0.1.0");
        log = tmp.resolve("java.log");
        fakeJava = tmp.resolve("java");
        Files.writeString(fakeJava, "#!/bin/sh\necho \"$LATCHKEY_SLOT $LATCHKEY_SLOT_DIR $*\" >> \"$FAKE_LOG\"\nexit \"${FAKE_EXIT:-0}\"\n");
        fakeJava.toFile().setExecutable(true);
        bundle = Releases.bundle(tmp, "acme", "0.3.0", false);
        manifest = UpdateBundle.verify(bundle, new UpdateVerifier(Map.of("upd-1", Releases.UPDATE_KEY.getPublic()), "acme", 1), "0.2.0");
    }

    /** 0.2.0 installed over the factory's 0.1.0 and marked good: current -> slots/a. */
    private Slots withGoodRelease() throws Exception {
        Slots slots = new Slots(ota);
        Path b2 = Releases.bundle(tmp, "acme", "0.2.0", false);
        UpdateManifest m2 = UpdateBundle.verify(b2, new UpdateVerifier(Map.of("upd-1", Releases.UPDATE_KEY.getPublic()), "acme", 1), "0.1.0");
        slots.install(new Slots.Pending("r-1", "0.2.0", "0.1.0"), null, (slot, step) -> UpdateBundle.extract(b2, m2, slot, step));
        assertThat(launch(0).slot()).isEqualTo("trial");
        assertThat(slots.markGood()).isTrue();
        assertThat(slots.current()).contains(ota.resolve("slots/a"));
        slots.clearReport();
        return slots;
    }

    private Path install(Slots slots) {
        Path running = slots.current().orElse(null);
        return slots.install(new Slots.Pending("r-2", "0.3.0", "0.2.0"), running,
                (slot, step) -> UpdateBundle.extract(bundle, manifest, slot, step));
    }

    @Test
    void aFreshDevice_startsTheFactoryRelease_thenATrial_thenTheReleaseMarkedGood() throws Exception {
        assertThat(launch(0)).isEqualTo(new Start("factory", factory.toRealPath().toString()));
        withGoodRelease();
        Start s = launch(0);
        assertThat(s.slot()).isEqualTo("current");
        assertThat(Slots.versionOf(Path.of(s.dir()))).contains("0.2.0");
        assertThat(Files.readString(log)).contains("-cp " + s.dir() + "/device-agent.jar:" + s.dir() + "/lib/* io.latchkey.agent.AgentMain run --config");
    }

    @Test
    void aPowerCutBeforeAnyStepOfTheInstall_leavesTheOldReleaseOrTheCompleteNewOneOnTrial() throws Exception {
        List<String> steps = new ArrayList<>();
        Slots recorder = new Slots(tmp.resolve("probe"), steps::add);
        recorder.install(new Slots.Pending("r", "0.3.0", "0.2.0"), null, (slot, step) -> UpdateBundle.extract(bundle, manifest, slot, step));
        assertThat(steps).contains("empty-slot", "file:device-agent.jar", "file:lib/protocol.jar", "write-version", "commit-trial");

        for (int cut = 0; cut <= steps.size(); cut++) {
            Path dir = tmp.resolve("cut-" + cut);
            ota = dir.resolve("ota");
            withGoodRelease();
            String at = cut < steps.size() ? steps.get(cut) : "(none)";
            int[] n = {0};
            final int c = cut;
            Slots cutting = new Slots(ota, name -> {
                if (n[0]++ == c) {
                    throw new PowerCut(name);
                }
            });
            boolean committed;
            try {
                install(cutting);
                committed = true;
            } catch (PowerCut expected) {
                committed = false;
            }
            Start start = launch(0);
            if (!committed) {
                assertThat(start.slot()).as("cut before " + at).isEqualTo("current");
                assertThat(Slots.versionOf(Path.of(start.dir()))).as("cut before " + at).contains("0.2.0");
                // the next install starts over and completes
                install(new Slots(ota));
                start = launch(0);
            }
            assertThat(start.slot()).as("cut before " + at).isEqualTo("trial");
            assertThat(Path.of(start.dir(), "device-agent.jar")).as("cut before " + at).hasContent("agent 0.3.0");
            assertThat(Slots.versionOf(Path.of(start.dir()))).contains("0.3.0");
            // the new release never marks itself good: after its starts are spent the old one is back
            launch(1);
            launch(1);
            Start back = launch(0);
            assertThat(back.slot()).as("cut before " + at).isEqualTo("current");
            assertThat(Slots.versionOf(Path.of(back.dir()))).contains("0.2.0");
            assertThat(new Slots(ota).rolledBack()).get().asString().startsWith("CRASH_LOOP");
            assertThat(new Slots(ota).pending()).contains(new Slots.Pending("r-2", "0.3.0", "0.2.0"));
        }
    }

    @Test
    void aPowerCutWhileMarkingGood_keepsTheTrialOrCommitsIt_neverNeither() throws Exception {
        for (int cut = 0; cut < 3; cut++) {
            ota = tmp.resolve("mark-" + cut).resolve("ota");
            withGoodRelease();
            install(new Slots(ota));
            assertThat(launch(0).slot()).isEqualTo("trial");
            int[] n = {0};
            final int c = cut;
            try {
                new Slots(ota, name -> {
                    if (n[0]++ == c) {
                        throw new PowerCut(name);
                    }
                }).markGood();
            } catch (PowerCut expected) {
                // cut
            }
            Start next = launch(0);
            assertThat(Slots.versionOf(Path.of(next.dir()))).as("cut " + cut).contains("0.3.0");
            if (next.slot().equals("trial")) {
                assertThat(new Slots(ota).markGood()).isTrue();
            }
            assertThat(launch(0).slot()).isEqualTo("current");
            assertThat(Slots.versionOf(Path.of(launch(0).dir()))).contains("0.3.0");
        }
    }

    @Test
    void theNextInstall_goesIntoTheOtherSlot_neverTheRunningOne() throws Exception {
        Slots slots = withGoodRelease();
        assertThat(install(slots)).isEqualTo(ota.resolve("slots/b"));
        launch(0);
        slots.markGood();
        assertThat(slots.current()).contains(ota.resolve("slots/b"));
        assertThat(slots.inactive(ota.resolve("current"))).isEqualTo(ota.resolve("slots/a"));
        assertThat(Slots.versionOf(ota.resolve("slots/a"))).as("the previous release stays for a roll-back").contains("0.2.0");
    }

    @Test
    void aReleaseExitingWithAStatusSystemdWillNotRestart_isRolledBackAtOnce() throws Exception {
        install(withGoodRelease());
        assertThat(launch(2).slot()).isEqualTo("trial");
        assertThat(new Slots(ota).rolledBack()).get().asString().startsWith("EXIT_2");
        assertThat(launch(0).slot()).isEqualTo("current");
    }

    /**
     * docs/ota.md §8: a release on trial that hangs is killed by systemd's watchdog and started again; each such start is
     * one of its three (it never marks itself good), the unit's ExecStopPost ({@code --stopped}) counts the kills, and
     * the roll-back names them. A stop for another reason, or a watchdog kill of a release marked good, counts nothing.
     */
    @Test
    void aTrialKilledByTheWatchdog_spendsItsStarts_andRollsBackNamingTheWatchdog() throws Exception {
        Slots slots = withGoodRelease();
        stopped("watchdog"); // the good release hung once: not a trial, nothing counted
        assertThat(ota.resolve(Slots.WATCHDOG_KILLS)).doesNotExist();
        install(slots);
        for (int start = 1; start <= 3; start++) {
            assertThat(launch(0).slot()).isEqualTo("trial");
            stopped("watchdog");
        }
        assertThat(ota.resolve(Slots.WATCHDOG_KILLS)).hasContent("3");
        Start back = launch(0);
        assertThat(back.slot()).isEqualTo("current");
        assertThat(Slots.versionOf(Path.of(back.dir()))).contains("0.2.0");
        assertThat(slots.rolledBack()).get().asString().startsWith("CRASH_LOOP").contains("3 of them ended by the watchdog");
        assertThat(ota.resolve(Slots.WATCHDOG_KILLS)).doesNotExist();

        install(slots); // a new trial starts with no kills counted; a plain stop counts none
        assertThat(launch(0).slot()).isEqualTo("trial");
        stopped("success");
        stopped("exit-code");
        assertThat(ota.resolve(Slots.WATCHDOG_KILLS)).doesNotExist();
        assertThat(launch(0).slot()).isEqualTo("trial");
        stopped("watchdog");
        assertThat(slots.markGood()).as("it got through its self-test at the next start").isTrue();
        assertThat(ota.resolve(Slots.WATCHDOG_KILLS)).doesNotExist();
    }

    /** The unit's ExecStopPost, as systemd runs it after a stop with this SERVICE_RESULT. */
    private void stopped(String serviceResult) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder("sh", LAUNCHER.toString(), "--stopped").redirectErrorStream(true);
        pb.environment().putAll(Map.of("LATCHKEY_OTA_DIR", ota.toString(), "LATCHKEY_HOME", factory.toString(), "JAVA", fakeJava.toString(),
                "FAKE_LOG", log.toString(), "SERVICE_RESULT", serviceResult));
        Files.deleteIfExists(log);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(20, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        assertThat(log).as("--stopped starts nothing").doesNotExist();
    }

    @Test
    void theAgentsOwnRollBack_afterAFailedSelfTest_bringsThePreviousReleaseBack() throws Exception {
        Slots slots = withGoodRelease();
        install(slots);
        assertThat(launch(0).slot()).isEqualTo("trial");
        slots.rollBack("SELFTEST_TIMEOUT: not connected within 5m");
        Start back = launch(0);
        assertThat(back.slot()).isEqualTo("current");
        assertThat(Slots.versionOf(Path.of(back.dir()))).contains("0.2.0");
        assertThat(slots.rolledBack()).contains("SELFTEST_TIMEOUT: not connected within 5m");
    }

    @Test
    void aTrialWithoutItsFiles_andARollBackOfTheFirstRelease_fallBack() throws Exception {
        Slots slots = new Slots(ota);
        install(slots);
        Files.delete(ota.resolve("slots/a/device-agent.jar"));
        assertThat(launch(0).slot()).isEqualTo("factory");
        assertThat(slots.rolledBack()).get().asString().startsWith("MISSING_FILES");
    }

    record Start(String slot, String dir) {
    }

    /** Runs the launcher as the unit would, with a fake java exiting {@code exit}; what it started. */
    private Start launch(int exit) throws IOException, InterruptedException {
        Files.deleteIfExists(log);
        ProcessBuilder pb = new ProcessBuilder("sh", LAUNCHER.toString()).redirectErrorStream(true);
        pb.environment().putAll(Map.of("LATCHKEY_OTA_DIR", ota.toString(), "LATCHKEY_HOME", factory.toString(), "JAVA", fakeJava.toString(),
                "FAKE_LOG", log.toString(), "FAKE_EXIT", Integer.toString(exit), "LATCHKEY_CONFIG", "/etc/latchkey/agent.properties"));
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(20, TimeUnit.SECONDS)).isTrue();
        String line = Files.readString(log).strip();
        String[] parts = line.split(" ", 3);
        assertThat(parts).as(out).hasSizeGreaterThan(2);
        return new Start(parts[0], parts[1]);
    }

}
