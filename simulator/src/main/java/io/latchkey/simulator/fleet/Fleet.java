package io.latchkey.simulator.fleet;

import com.hivemq.client.mqtt.MqttClientExecutorConfig;
import io.latchkey.agent.Agent;
import io.latchkey.agent.AgentBuilder;
import io.latchkey.agent.config.AgentConfig;
import io.latchkey.agent.journal.JournalSequenceCounter;
import io.latchkey.agent.journal.JournalStats;
import io.latchkey.agent.journal.JournalTelemetrySink;
import io.latchkey.agent.journal.TelemetryJournal;
import io.latchkey.agent.mqtt.BrokerConnection;
import io.latchkey.agent.mqtt.DeviceClientId;
import io.latchkey.agent.mqtt.HiveMqBrokerConnection;
import io.latchkey.agent.mqtt.ReconnectBackoff;
import io.latchkey.agent.telemetry.FileSequenceCounter;
import io.latchkey.simulator.audit.AuditedFleet;
import io.latchkey.simulator.car.RelayActivation;
import io.latchkey.simulator.audit.CarLedger;
import io.latchkey.simulator.audit.ObservedConnection;
import io.latchkey.simulator.audit.ObservedHistory;
import io.latchkey.simulator.car.CarHarness;
import io.latchkey.simulator.car.SimulatedCar;
import io.latchkey.simulator.net.FleetNetwork;
import java.time.Clock;
import java.time.Duration;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Many simulated cars, each with its own real {@link Agent}, in one JVM. The agents share one Netty
 * event loop (one {@link MqttClientExecutorConfig}), one timer scheduler and one worker pool, so the
 * thread count does not grow with the fleet; one periodic task advances every car's model and sends
 * its CAN frames and NMEA sentences. With a {@link FleetNetwork} the cars reach the broker through it,
 * which is what lets faults cut single cars off.
 *
 * <p>Each car keeps its own {@link SkewedClock} (the agent's clock) and {@link CarLedger} across agent
 * restarts. A restart after {@link #kill} is a new process on the same data directory, with fresh
 * hardware from {@link SimulatedCar#attach}.
 */
public final class Fleet implements AutoCloseable, AuditedFleet {
    private static final Logger LOG = LoggerFactory.getLogger(Fleet.class);

    /** How the fleet shares its threads; {@code clock} is the true clock every car's clock is skewed from. */
    public record Options(Clock clock, Duration tick, int nettyThreads, int timerThreads, int workerThreads, long seed) {
        public static Options defaults() {
            return new Options(Clock.systemUTC(), Duration.ofSeconds(1), 2, 2, 4, System.nanoTime());
        }

        public Options withSeed(long seed) {
            return new Options(clock, tick, nettyThreads, timerThreads, workerThreads, seed);
        }
    }

    private static final class Member {
        final SimulatedCar car;
        final AgentConfig config;
        final CarLedger ledger;
        final SkewedClock clock;
        AgentProcess process;
        /** With {@link Releases}: the power of this car is cut at most once. */
        final java.util.concurrent.atomic.AtomicBoolean powerCut = new java.util.concurrent.atomic.AtomicBoolean();

        Member(SimulatedCar car, AgentConfig config, CarLedger ledger, SkewedClock clock) {
            this.car = car;
            this.config = config;
            this.ledger = ledger;
            this.clock = clock;
        }
    }

    private final Options options;
    private final FleetNetwork network;
    private final ScheduledExecutorService timers;
    /**
     * The physical world's clock: every car's model steps and puts its CAN frames and NMEA sentences on
     * its bus here. Apart from the agents' timers, so that a tick of the whole fleet does not delay an
     * agent's relay pulse or feedback check (a real car's world does not run on its agent's threads).
     */
    private final ScheduledExecutorService world;
    /**
     * Commands get threads apart from the telemetry workers (a real car's command does not queue behind
     * other cars' journal fsyncs); two, so that one car's slow relay feedback does not hold up the rest.
     */
    private static final int COMMAND_THREADS = 2;
    private final ExecutorService workers;
    private final ExecutorService commands;
    private final ExecutorService netty;
    private final MqttClientExecutorConfig mqttExecutors;
    private final SplittableRandom random;
    private final Map<String, Member> members = new LinkedHashMap<>();
    private final java.util.Set<String> disconnected = new java.util.HashSet<>();
    /** Over-the-air updates through the launcher twin, or null (agents run as the jar's own version). */
    private Releases releases;
    /** What systemd does for the cars with {@link Releases}: starts their process again after it exited. */
    private final ScheduledExecutorService systemd = Executors.newSingleThreadScheduledExecutor(daemon("fleet-systemd"));
    private volatile boolean closed;

    /** Cars connect straight to the broker in their configs; no network faults. */
    public Fleet(Options options) {
        this(options, null);
    }

    /** @param network the relay every car connects through (faults), or null for straight to the broker */
    public Fleet(Options options, FleetNetwork network) {
        this.options = options;
        this.network = network;
        this.random = new SplittableRandom(options.seed());
        this.timers = Executors.newScheduledThreadPool(options.timerThreads(), daemon("fleet-timer"));
        this.workers = Executors.newFixedThreadPool(options.workerThreads(), daemon("fleet-worker"));
        this.commands = Executors.newFixedThreadPool(COMMAND_THREADS, daemon("fleet-command"));
        this.netty = Executors.newFixedThreadPool(options.nettyThreads(), daemon("fleet-netty"));
        this.mqttExecutors = MqttClientExecutorConfig.builder().nettyExecutor(netty).nettyThreads(options.nettyThreads()).build();
        long tickNanos = options.tick().toNanos();
        this.world = Executors.newSingleThreadScheduledExecutor(daemon("fleet-world"));
        world.scheduleAtFixedRate(this::tickAll, tickNanos, tickNanos, TimeUnit.NANOSECONDS);
    }

    /**
     * Cars added from now on take part in over-the-air updates: each (re)start goes through the {@link Launcher} twin
     * on the car's {@code ota} folder, with the faults of {@code releases} (docs/simulator.md, "Rollouts").
     */
    public synchronized Fleet releases(Releases releases) {
        this.releases = Objects.requireNonNull(releases, "releases");
        return this;
    }

    /** Adds a car and starts its agent; the agent connects in the background. */
    public synchronized SimulatedCar add(AgentConfig config, SimulatedCar car) {
        if (members.containsKey(config.deviceId())) {
            throw new IllegalArgumentException("device " + config.deviceId() + " is already in the fleet");
        }
        AgentConfig routed = network == null ? config : config.toBuilder().mqttUrl(network.url()).build();
        Member m = new Member(car, routed, new CarLedger(config.deviceId(), options.clock()),
                new SkewedClock(options.clock(), Duration.ZERO));
        members.put(config.deviceId(), m);
        try {
            m.process = boot(m);
        } catch (RuntimeException e) {
            members.remove(config.deviceId());
            throw e;
        }
        if (m.process == null) {
            members.remove(config.deviceId());
            throw new IllegalStateException(config.deviceId() + ": the release the car starts from exited at once");
        }
        return car;
    }

    /** A car's OTA folder (the agent's {@code data.dir/ota}). */
    public synchronized java.nio.file.Path otaDir(String deviceId) {
        return member(deviceId).config.dataDir().resolve("ota");
    }

    /** Where the car's running process started from (mode and version), or null if it is down or runs without releases. */
    public synchronized Launched launched(String deviceId) {
        AgentProcess p = member(deviceId).process;
        return p != null && p.isRunning() ? p.launched() : null;
    }

    /** The launcher's decision for a process, with the release version it runs. */
    public record Launched(String mode, java.nio.file.Path slot, String version) {
    }

    /** Unreachable: a bad build that "never connects" is given this broker. */
    private static final String NOWHERE = "tcp://127.0.0.1:9";

    /** Thrown at the step where a car's power is cut: the install or mark-good stops there, as the CPU would. */
    static final class PowerCut extends Error {
        PowerCut(String step) {
            super("power cut before " + step, null, false, false);
        }
    }

    /**
     * Starts a car's process: straight from the jar without {@link Releases}; else through the launcher twin, which
     * may find that the release exits at once (a bad build), in which case null is returned and a restart scheduled.
     */
    private AgentProcess boot(Member m) {
        if (releases == null) {
            return startProcess(m, m.config, b -> { });
        }
        Releases r = releases;
        String deviceId = m.config.deviceId();
        java.nio.file.Path ota = m.config.dataDir().resolve("ota");
        Launcher.Start start = Launcher.start(ota, r.factory(), r.maxStarts());
        String version = Launcher.FACTORY.equals(start.mode()) ? r.factoryVersion()
                : io.latchkey.agent.ota.Slots.versionOf(start.slot()).orElse(r.factoryVersion());
        Releases.BadBuild bad = start.onTrial() ? r.faults().badBuild(deviceId, version) : Releases.BadBuild.NONE;
        r.events().accept(new Releases.Event(deviceId, "START", start.mode() + " " + version, options.clock().instant()));
        if (bad.exitCode() >= 0) {
            int status = Launcher.exited(ota, start, bad.exitCode());
            r.events().accept(new Releases.Event(deviceId, "EXIT", bad.name() + ": status " + bad.exitCode() + ", launcher " + status,
                    options.clock().instant()));
            relaunchLater(m);
            return null;
        }
        AgentConfig cfg = bad == Releases.BadBuild.HANG ? m.config.toBuilder().mqttUrl(NOWHERE).build() : m.config;
        AgentProcess[] self = new AgentProcess[1];
        java.util.concurrent.atomic.AtomicBoolean dead = new java.util.concurrent.atomic.AtomicBoolean();
        String cutAt = r.faults().powerCutAt(deviceId);
        io.latchkey.agent.ota.Slots.Step step = name -> {
            if (dead.get()) {
                throw new PowerCut(name); // a dead process changes nothing on disk
            }
            if (name.equals(cutAt) && m.powerCut.compareAndSet(false, true)) {
                dead.set(true);
                systemd.execute(() -> powerCut(m, self[0], name));
                throw new PowerCut(name);
            }
        };
        Launched launched = new Launched(start.mode(), start.slot(), version);
        AgentProcess p = startProcess(m, cfg, b -> b
                .otaRunning(new io.latchkey.agent.ota.OtaService.Running(start.mode(), start.slot(), version))
                .otaStep(step)
                .otaRestart(() -> systemd.execute(() -> exitAndRestart(m, self[0], start, dead))));
        p.launched(launched);
        self[0] = p;
        return p;
    }

    /** The agent asked to restart (installed, or rolled back): it exits 0, the launcher passes that on, systemd restarts it. */
    private void exitAndRestart(Member m, AgentProcess process, Launcher.Start start, java.util.concurrent.atomic.AtomicBoolean dead) {
        synchronized (this) {
            if (closed || m.process != process || !process.isRunning()) {
                return;
            }
            dead.set(true);
            process.stop();
            Launcher.exited(m.config.dataDir().resolve("ota"), start, 0);
        }
        releases.events().accept(new Releases.Event(m.config.deviceId(), "RESTART", start.mode(), options.clock().instant()));
        relaunchLater(m);
    }

    private void powerCut(Member m, AgentProcess process, String step) {
        synchronized (this) {
            if (closed || m.process != process) {
                return;
            }
            kill(m.config.deviceId());
        }
        releases.events().accept(new Releases.Event(m.config.deviceId(), "POWER_CUT", step, options.clock().instant()));
        relaunchLater(m);
    }

    private void relaunchLater(Member m) {
        if (closed) {
            return;
        }
        systemd.schedule(() -> {
            synchronized (this) {
                if (closed || (m.process != null && m.process.isRunning())) {
                    return;
                }
                if (network != null && !disconnected.contains(m.config.deviceId())) {
                    network.restore(clientId(m));
                }
                AgentProcess p = boot(m);
                if (p != null) {
                    m.process = p;
                }
            }
        }, releases.restartDelay().toMillis(), TimeUnit.MILLISECONDS);
    }

    private AgentProcess startProcess(Member m, AgentConfig cfg, java.util.function.Consumer<AgentBuilder> more) {
        CarHarness hardware = m.car.attach();
        ProcessThreads threads = new ProcessThreads(timers, workers, commands);
        SplittableRandom jitter = random.split();
        // The journal is opened here rather than by the builder (the same way it would) so that the
        // simulator can read the process's backlog for the audit and the reconnect benchmark.
        TelemetryJournal journal = TelemetryJournal.open(cfg.dataDir().resolve(AgentBuilder.JOURNAL_DIR), cfg.journal(),
                FileSequenceCounter.legacyLast(cfg.dataDir()));
        BrokerConnection[] inner = new BrokerConnection[1];
        ObservedConnection[] observed = new ObservedConnection[1];
        JournalTelemetrySink[] sink = new JournalTelemetrySink[1];
        AgentBuilder builder = Agent.builder(cfg)
                .doorLocks(hardware.doorLocks())
                .immobiliser(hardware.immobiliser())
                .gnss(hardware.gnss())
                .vehicleSignals(hardware.signals())
                .canBus(hardware.canBus())
                .bleKeyLink(m.car.ble())
                .barcodeScanner(m.car.scanner())
                .clock(m.clock)
                .scheduler(threads)
                .executor(threads.workExecutor())
                .commandExecutor(threads.commandExecutor())
                .commandHistory(new ObservedHistory(AgentBuilder.durableCommandHistory(cfg, m.clock), m.ledger))
                .mqttExecutorConfig(mqttExecutors)
                .random(jitter)
                .brokerConnection(will -> {
                    inner[0] = new HiveMqBrokerConnection(cfg.brokerEndpoint(m.clock, jitter), will, mqttExecutors,
                            new ReconnectBackoff(cfg.reconnectInitialDelay(), cfg.reconnectMaxDelay(), jitter));
                    observed[0] = new ObservedConnection(inner[0], m.ledger);
                    return observed[0];
                })
                .telemetrySink(connection -> sink[0] = new JournalTelemetrySink(journal, connection,
                        AgentBuilder.receiptVerifier(cfg), cfg.deviceId(), m.clock, threads, threads.workExecutor(),
                        cfg.receiptTimeout()))
                .sequenceCounter(new JournalSequenceCounter(journal));
        more.accept(builder);
        Agent agent = builder.build();
        agent.start();
        return new AgentProcess(agent, threads, observed[0], inner[0], sink[0]);
    }

    /** SIGTERM: the agent shuts down gracefully (goodbye, journal flushed) and stays down. */
    public synchronized void stopAgent(String deviceId) {
        member(deviceId).process.stop();
    }

    /** Power loss: the agent dies without a word and stays down until {@link #startAgent}. */
    public synchronized void kill(String deviceId) {
        Member m = member(deviceId);
        if (m.process.isKilled()) {
            return;
        }
        String clientId = clientId(m);
        CompletableFuture<Void> cut = network == null ? CompletableFuture.completedFuture(null) : network.blackout(clientId);
        if (network == null) {
            LOG.warn("{}: killed without a fleet network; the broker sees a clean disconnect, not a dropped one", deviceId);
        }
        m.process.kill(cut);
    }

    /** Boots a new agent process on the car's data directory (after {@link #kill} or {@link #stopAgent}). */
    public synchronized Agent startAgent(String deviceId) {
        Member m = member(deviceId);
        if (m.process.isRunning()) {
            return m.process.agent();
        }
        if (network != null && !disconnected.contains(deviceId)) {
            network.restore(clientId(m));
        }
        AgentProcess p = boot(m);
        if (p != null) {
            m.process = p;
        }
        return m.process.agent();
    }

    /** A graceful restart: stop, then start a fresh process on the same car and data directory. */
    public synchronized Agent restartAgent(String deviceId) {
        Member m = member(deviceId);
        if (m.process.isRunning()) {
            m.process.stop();
        }
        return startAgent(deviceId);
    }

    /** Connectivity lost: the car's connection is cut and it cannot reach the broker until {@link #reconnect}. */
    public synchronized void disconnect(String deviceId) {
        requireNetwork("disconnect");
        disconnected.add(deviceId);
        network.blackout(clientId(member(deviceId)));
    }

    /** Ends a {@link #disconnect}; a car whose agent is down stays unreachable until it starts. */
    public synchronized void reconnect(String deviceId) {
        requireNetwork("reconnect");
        Member m = member(deviceId);
        disconnected.remove(deviceId);
        if (!m.process.isKilled()) {
            network.restore(clientId(m));
        }
    }

    /** Sets the car's clock offset from true time (the agent reads it for command validity and telemetry). */
    public synchronized void skewClock(String deviceId, Duration skew) {
        member(deviceId).clock.skew(skew);
    }

    private void requireNetwork(String what) {
        if (network == null) {
            throw new IllegalStateException(what + " needs the fleet to run behind a FleetNetwork");
        }
    }

    private String clientId(Member m) {
        return DeviceClientId.of(m.config.tenant(), m.config.deviceId());
    }

    /** Waits until every agent running now has connected once; returns false on timeout. */
    public boolean awaitConnected(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        for (Agent a : agents()) {
            long left = deadline - System.nanoTime();
            try {
                a.firstConnection().get(Math.max(0, left), TimeUnit.NANOSECONDS);
            } catch (java.util.concurrent.TimeoutException | java.util.concurrent.ExecutionException e) {
                return false;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return true;
    }

    /** The running process's telemetry journal: what it holds and what the cloud receipted. */
    @Override
    public synchronized List<RelayActivation> activations(String deviceId) {
        return car(deviceId).activations();
    }

    @Override
    public synchronized JournalStats journal(String deviceId) {
        return member(deviceId).process.journalStats();
    }

    @Override
    public synchronized CarLedger ledger(String deviceId) {
        return member(deviceId).ledger;
    }

    public synchronized SimulatedCar car(String deviceId) {
        return member(deviceId).car;
    }

    public synchronized Agent agent(String deviceId) {
        return member(deviceId).process.agent();
    }

    @Override
    public synchronized boolean isRunning(String deviceId) {
        return member(deviceId).process.isRunning();
    }

    @Override
    public synchronized List<String> deviceIds() {
        return List.copyOf(members.keySet());
    }

    public synchronized List<Agent> agents() {
        return members.values().stream().filter(m -> !m.process.isKilled()).map(m -> m.process.agent()).toList();
    }

    public synchronized Collection<SimulatedCar> cars() {
        return members.values().stream().map(m -> m.car).toList();
    }

    public synchronized int size() {
        return members.size();
    }

    /** The network every car goes through, or null. */
    public FleetNetwork network() {
        return network;
    }

    private Member member(String deviceId) {
        Member m = members.get(deviceId);
        if (m == null) {
            throw new NoSuchElementException("no car with device " + deviceId + " in the fleet");
        }
        return m;
    }

    private void tickAll() {
        for (SimulatedCar car : cars()) {
            try {
                car.tick(options.tick());
            } catch (RuntimeException e) {
                LOG.warn("{}: tick failed: {}", car.deviceId(), e.toString());
            }
        }
    }

    @Override
    public void close() {
        List<AgentProcess> running;
        closed = true;
        systemd.shutdownNow();
        synchronized (this) {
            running = members.values().stream().map(m -> m.process).filter(p -> !p.isKilled()).toList();
        }
        running.forEach(AgentProcess::stop);
        world.shutdownNow();
        timers.shutdownNow();
        workers.shutdownNow();
        commands.shutdownNow();
        netty.shutdown();
        try {
            netty.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static ThreadFactory daemon(String prefix) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, prefix + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }
}
