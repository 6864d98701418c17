package io.latchkey.agent.status;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The watchdog's rule: pings only while every probe of the last tick has run; READY once; the environment; the command. */
class SystemdWatchdogTest {
    private final List<String> sent = new CopyOnWriteArrayList<>();
    private final SystemdWatchdog.Notifier recording = assignments -> sent.add(String.join(" ", assignments));

    @Test
    void theEnvironment_decidesWhetherAndHowOften() {
        assertThat(SystemdWatchdog.fromEnvironment(Map.of())).as("not under systemd").isEmpty();
        assertThat(SystemdWatchdog.fromEnvironment(Map.of("WATCHDOG_USEC", "120000000"))).as("no socket to notify").isEmpty();
        assertThat(SystemdWatchdog.fromEnvironment(Map.of("NOTIFY_SOCKET", "/run/systemd/notify", "WATCHDOG_USEC", "120000000")))
                .contains(new SystemdWatchdog.Settings(Duration.ofSeconds(30)));
        assertThat(SystemdWatchdog.fromEnvironment(Map.of("NOTIFY_SOCKET", "/run/systemd/notify", "WATCHDOG_USEC", "200000")))
                .as("never faster than once a second").contains(new SystemdWatchdog.Settings(Duration.ofSeconds(1)));
        assertThat(SystemdWatchdog.fromEnvironment(Map.of("NOTIFY_SOCKET", "/run/systemd/notify")))
                .as("readiness only").contains(new SystemdWatchdog.Settings(null));
        assertThat(SystemdWatchdog.fromEnvironment(Map.of("NOTIFY_SOCKET", "/run/systemd/notify", "WATCHDOG_USEC", "soon")))
                .contains(new SystemdWatchdog.Settings(null));
    }

    @Test
    void aProbeThatDoesNotRun_stopsThePings_untilItRunsAgain() {
        AtomicReference<CompletableFuture<Void>> next = new AtomicReference<>(CompletableFuture.completedFuture(null));
        SystemdWatchdog w = new SystemdWatchdog(recording, Duration.ofSeconds(30),
                List.of(new SystemdWatchdog.Probe("loop", next::get)));

        assertThat(w.tick()).isTrue();
        CompletableFuture<Void> stalled = new CompletableFuture<>();
        next.set(stalled);
        assertThat(w.tick()).as("the previous probe ran").isTrue();
        assertThat(w.tick()).as("the probe issued at the last tick has not run").isFalse();
        assertThat(w.tick()).isFalse();
        assertThat(sent).containsExactly("WATCHDOG=1", "WATCHDOG=1");

        next.set(CompletableFuture.completedFuture(null));
        stalled.complete(null); // the loop got through
        assertThat(w.tick()).isTrue();
        assertThat(w.tick()).isTrue();
        assertThat(w.pings()).isEqualTo(4);
    }

    @Test
    void aProbeThatFails_isUnhealthy_andIsAskedAgain() {
        AtomicReference<CompletableFuture<Void>> next = new AtomicReference<>(
                CompletableFuture.failedFuture(new java.util.concurrent.RejectedExecutionException("loop gone")));
        SystemdWatchdog w = new SystemdWatchdog(recording, Duration.ofSeconds(30), List.of(new SystemdWatchdog.Probe("loop", next::get)));
        assertThat(w.tick()).isTrue(); // nothing was asked before
        assertThat(w.tick()).isFalse();
        next.set(CompletableFuture.completedFuture(null));
        assertThat(w.tick()).as("asked again after the failure, not pinging yet").isFalse();
        assertThat(w.tick()).isTrue();
        SystemdWatchdog throwing = new SystemdWatchdog(recording, Duration.ofSeconds(30), List.of(new SystemdWatchdog.Probe("loop", () -> {
            throw new IllegalStateException("closed");
        })));
        assertThat(throwing.tick()).isTrue();
        assertThat(throwing.tick()).isFalse();
    }

    @Test
    void readyOnce_andNoPingsWithoutAWatchdog() {
        SystemdWatchdog w = new SystemdWatchdog(recording, null, List.of());
        assertThat(w.tick()).isFalse();
        w.ready();
        w.ready();
        assertThat(sent).containsExactly("READY=1 STATUS=connected to the broker");
    }

    @Test
    void aNotifierThatFails_isAMissedPing_notACrash() {
        SystemdWatchdog w = new SystemdWatchdog(a -> {
            throw new IOException("no systemd-notify");
        }, Duration.ofSeconds(30), List.of());
        assertThat(w.tick()).isFalse();
        w.ready();
        assertThat(w.pings()).isZero();
    }

    @Test
    void theCommandNotifier_runsTheCommandWithTheAssignments(@TempDir Path dir) throws Exception {
        Path log = dir.resolve("notify.log");
        Path script = dir.resolve("systemd-notify");
        Files.writeString(script, "#!/bin/sh\necho \"$*\" >> '" + log + "'\n[ \"$1\" = FAIL=1 ] && exit 1\nexit 0\n");
        script.toFile().setExecutable(true);
        SystemdWatchdog.CommandNotifier notifier = new SystemdWatchdog.CommandNotifier(List.of(script.toString()), Duration.ofSeconds(10));
        notifier.send("WATCHDOG=1");
        notifier.send("READY=1", "STATUS=connected to the broker");
        assertThat(Files.readAllLines(log)).containsExactly("WATCHDOG=1", "READY=1 STATUS=connected to the broker");
        assertThatThrownBy(() -> notifier.send("FAIL=1")).isInstanceOf(IOException.class).hasMessageContaining("exited with 1");

        Path slow = dir.resolve("slow");
        Files.writeString(slow, "#!/bin/sh\nexec sleep 30\n");
        slow.toFile().setExecutable(true);
        assertThatThrownBy(() -> new SystemdWatchdog.CommandNotifier(List.of(slow.toString()), Duration.ofMillis(300)).send("WATCHDOG=1"))
                .isInstanceOf(IOException.class).hasMessageContaining("did not finish");
    }
}
