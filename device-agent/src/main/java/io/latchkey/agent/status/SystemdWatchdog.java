package io.latchkey.agent.status;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * systemd's service watchdog (docs/ota.md §8): the unit has {@code WatchdogSec=} and {@code NotifyAccess=all}; the agent
 * pings {@code WATCHDOG=1} every quarter of it while it is healthy, and says {@code READY=1} once it has connected. A JVM
 * that hangs entirely (its timers no longer run) stops pinging and systemd kills and restarts it; on a release on trial
 * the restart is one of its counted starts (the launcher).
 *
 * <p>Healthy means: the tick runs at all (the agent schedules it on its own single-threaded scheduler, so a scheduler
 * blocked by a stuck task stops the pings), and every probe issued at the previous tick has run (the MQTT connection's
 * own loop thread, {@code BrokerConnection.probe()}). A probe still pending a whole interval later, or one that failed
 * (its executor is gone), stops the pings until the probes answer again. Being offline is not unhealthy: the
 * connection's loop keeps running while it waits to reconnect, and a car out of coverage must not be restarted.
 *
 * <p>Java 17 cannot send the {@code AF_UNIX} datagram {@code sd_notify} uses, so the notifications go through
 * {@link CommandNotifier} ({@code systemd-notify}, one short process per ping: with the default {@code WatchdogSec=120}
 * one every 30 s). It is sent by a child of the JVM, hence {@code NotifyAccess=all} in the unit.
 */
public final class SystemdWatchdog {
    private static final Logger LOG = LoggerFactory.getLogger(SystemdWatchdog.class);
    /** Never ping more often than this, whatever {@code WATCHDOG_USEC} says. */
    static final Duration MIN_INTERVAL = Duration.ofSeconds(1);

    /** Sends one notification to systemd, e.g. {@code WATCHDOG=1}. */
    public interface Notifier {
        void send(String... assignments) throws IOException;
    }

    /** A named check: the future completes once the part probed has run it. */
    public record Probe(String name, Supplier<CompletableFuture<?>> probe) {
        public Probe {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(probe, "probe");
        }
    }

    /** How the unit set the agent up: the ping interval, or null when the unit has no watchdog (readiness only). */
    public record Settings(Duration interval) {
    }

    private final Notifier notifier;
    private final Duration interval;
    private final List<Probe> probes;
    private final List<CompletableFuture<?>> outstanding = new ArrayList<>();
    private final List<String> outstandingNames = new ArrayList<>();
    private boolean ready;
    private String unhealthy;
    private long pings;

    /** @param interval how often {@link #tick()} runs; null: no watchdog, only {@link #ready()} */
    public SystemdWatchdog(Notifier notifier, Duration interval, List<Probe> probes) {
        this.notifier = Objects.requireNonNull(notifier, "notifier");
        this.interval = interval;
        this.probes = List.copyOf(probes);
    }

    /**
     * What systemd's environment asks for: nothing without {@code NOTIFY_SOCKET} (not started by systemd, or by a unit
     * without {@code NotifyAccess}); a ping every quarter of {@code WATCHDOG_USEC} when it is set (at least
     * {@link #MIN_INTERVAL}); readiness only without it. {@code WATCHDOG_PID} is not checked: it names the unit's main
     * process, the launcher, whose child the JVM is while a release is on trial.
     */
    public static Optional<Settings> fromEnvironment(Map<String, String> env) {
        String socket = env.get("NOTIFY_SOCKET");
        if (socket == null || socket.isBlank()) {
            return Optional.empty();
        }
        String usec = env.get("WATCHDOG_USEC");
        if (usec == null || usec.isBlank()) {
            return Optional.of(new Settings(null));
        }
        long micros;
        try {
            micros = Long.parseLong(usec.strip());
        } catch (NumberFormatException e) {
            LOG.warn("WATCHDOG_USEC '{}' is not a number: no watchdog pings", usec);
            return Optional.of(new Settings(null));
        }
        if (micros <= 0) {
            return Optional.of(new Settings(null));
        }
        Duration quarter = Duration.ofNanos(TimeUnit.MICROSECONDS.toNanos(micros) / 4);
        return Optional.of(new Settings(quarter.compareTo(MIN_INTERVAL) < 0 ? MIN_INTERVAL : quarter));
    }

    /** The ping interval, or null without a watchdog. */
    public Duration interval() {
        return interval;
    }

    /**
     * One run of the watchdog timer: pings if every probe of the previous run has answered, then issues the probes
     * again. Returns whether it pinged.
     */
    public synchronized boolean tick() {
        if (interval == null) {
            return false;
        }
        for (int i = 0; i < outstanding.size(); i++) {
            CompletableFuture<?> f = outstanding.get(i);
            if (!f.isDone() || f.isCompletedExceptionally()) {
                String why = outstandingNames.get(i) + (f.isDone() ? " failed its probe" : " did not run its probe within " + interval);
                if (!why.equals(unhealthy)) {
                    LOG.warn("watchdog: {}: not pinging systemd, which restarts the agent if this lasts", why);
                }
                unhealthy = why;
                if (f.isDone()) { // an executor that refused once is asked again next time
                    outstanding.set(i, probe(probes.get(i)));
                }
                return false;
            }
        }
        if (unhealthy != null) {
            LOG.info("watchdog: healthy again, pinging");
            unhealthy = null;
        }
        outstanding.clear();
        outstandingNames.clear();
        for (Probe p : probes) {
            outstanding.add(probe(p));
            outstandingNames.add(p.name());
        }
        if (send("WATCHDOG=1")) {
            pings++;
            return true;
        }
        return false;
    }

    /** Says {@code READY=1} (with a status line) the first time the agent is connected; later calls do nothing. */
    public synchronized void ready() {
        if (!ready && send("READY=1", "STATUS=connected to the broker")) {
            ready = true;
            LOG.info("watchdog: told systemd the agent is ready");
        }
    }

    /** Pings sent so far. */
    public synchronized long pings() {
        return pings;
    }

    private static CompletableFuture<?> probe(Probe p) {
        try {
            return Objects.requireNonNull(p.probe().get(), "probe");
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    private boolean send(String... assignments) {
        try {
            notifier.send(assignments);
            return true;
        } catch (IOException | RuntimeException e) {
            LOG.warn("watchdog: cannot notify systemd ({}): {}", String.join(" ", assignments), e.getMessage());
            return false;
        }
    }

    /**
     * {@code systemd-notify A=1 ...}: one short process per notification. Since systemd 246 it waits until the service
     * manager has read the message ({@code BARRIER=1}), so the message is not lost when it exits at once and systemd can
     * no longer tell its unit. A notification that takes longer than {@code timeout} is abandoned (and the ping missed).
     */
    public static final class CommandNotifier implements Notifier {
        private final List<String> command;
        private final Duration timeout;

        /** @param command the program and any fixed arguments, e.g. {@code ["systemd-notify"]} */
        public CommandNotifier(List<String> command, Duration timeout) {
            if (command.isEmpty()) {
                throw new IllegalArgumentException("no notify command");
            }
            this.command = List.copyOf(command);
            this.timeout = Objects.requireNonNull(timeout, "timeout");
        }

        @Override
        public void send(String... assignments) throws IOException {
            List<String> argv = new ArrayList<>(command);
            argv.addAll(List.of(assignments));
            Process p = new ProcessBuilder(argv).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            try {
                if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                    p.destroyForcibly();
                    throw new IOException(command.get(0) + " did not finish within " + timeout);
                }
            } catch (InterruptedException e) {
                p.destroyForcibly();
                Thread.currentThread().interrupt();
                throw new IOException("interrupted", e);
            }
            if (p.exitValue() != 0) {
                throw new IOException(command.get(0) + " exited with " + p.exitValue());
            }
        }
    }
}
