package io.latchkey.agent;

import io.latchkey.hal.Registration;
import io.latchkey.agent.command.CommandProcessor;
import io.latchkey.agent.command.SerialQueue;
import io.latchkey.agent.config.AgentConfig;
import io.latchkey.agent.events.DeviceEvents;
import io.latchkey.agent.journal.JournalTelemetrySink;
import io.latchkey.agent.power.BatteryGuard;
import io.latchkey.agent.status.AgentState;
import io.latchkey.agent.status.AgentStatus;
import io.latchkey.agent.status.ObdStats;
import io.latchkey.agent.status.StatusFile;
import io.latchkey.agent.status.StatusIndicator;
import io.latchkey.hal.vehicle.AgentSignals;
import io.latchkey.hal.can.CanException;
import io.latchkey.hal.can.obd.ObdPoller;
import io.latchkey.hal.vehicle.VehicleSignals;
import io.latchkey.agent.mqtt.BrokerConnection;
import io.latchkey.agent.telemetry.TelemetryLoop;
import io.latchkey.agent.telemetry.TelemetrySink;
import io.latchkey.agent.vehicle.LockStates;
import io.latchkey.hal.lock.DoorLocks;
import io.latchkey.protocol.Channel;
import io.latchkey.protocol.Json;
import io.latchkey.protocol.command.CommandAck;
import io.latchkey.protocol.telemetry.DeviceState;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The in-car program: takes signed commands from the broker and answers them, publishes telemetry,
 * and keeps its retained state current. Assembled by {@link AgentBuilder}; {@link #start()} returns at
 * once and the agent connects (and reconnects) in the background.
 */
public final class Agent implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Agent.class);

    private final AgentConfig config;
    private final DoorLocks locks;
    private final Clock clock;
    private final BrokerConnection connection;
    private final CommandProcessor commands;
    /** The device signs every answer with its own key: the cloud believes no unsigned one. */
    private final io.latchkey.protocol.command.AckSigner ackSigner;
    private final SerialQueue commandQueue;
    private final TelemetryLoop telemetry;
    private final TelemetrySink telemetrySink;
    private final List<AutoCloseable> owned;
    private volatile String version;
    private final CompletableFuture<Void> firstConnection = new CompletableFuture<>();
    private final VehicleSignals signals;
    private final DeviceEvents events;
    private final BatteryGuard battery;
    private final ObdPoller obd;
    private final StatusIndicator indicator;
    private final StatusFile statusFile;
    private final Timers timers;
    private final List<ScheduledFuture<?>> periodic = new java.util.ArrayList<>();
    private final List<Registration> registrations = new java.util.ArrayList<>();
    /** The offline keys' service and how to start it (docs/offline-keys.md), if enabled. */
    private io.latchkey.agent.key.OfflineKeys offlineKeys;
    private java.util.function.Supplier<Registration> offlineKeysStart;
    /** Over-the-air updates (docs/ota.md), if update keys are pinned. */
    private io.latchkey.agent.ota.OtaService ota;
    private volatile io.latchkey.agent.identity.IdentityMaintenance identity;
    /** The power states (docs/agent.md), set by the builder; the connection waits for {@link #wake()} when it starts protected. */
    private io.latchkey.agent.power.PowerManager power;
    private volatile io.latchkey.agent.status.SystemdWatchdog watchdog;
    private BrokerConnection.Listener listener;
    private volatile boolean connectionStarted;
    private volatile boolean started;
    private volatile boolean closed;
    /**
     * Held while the status file is written (from a timer, or the power manager's sleep): {@link #close} takes it after
     * {@code closed} is set, so no write is under way when the agent has stopped (a cancelled task already running is
     * not stopped by its cancel). Nothing is locked while it is held: the power manager calls in holding its own lock.
     */
    private final Object timerWrites = new Object();
    private volatile boolean everOnline;
    /** The state status.json and the indicator last showed. */
    private volatile AgentState shownState;
    private final java.util.concurrent.atomic.AtomicBoolean statusRefreshQueued = new java.util.concurrent.atomic.AtomicBoolean();
    /** The answer to the last command received: completes once it is processed and its ack published. */
    private volatile CompletableFuture<?> lastAnswer = CompletableFuture.completedFuture(null);

    /**
     * The agent's own periodic work: status refresh, the battery check when there is a supply to read,
     * and an OBD-II request when there are PIDs to poll.
     */
    record Timers(ScheduledExecutorService scheduler, Duration statusEvery, Duration batteryEvery, Duration obdEvery) {
    }

    /** The car as the agent drives it: the locks, the signal table, the status LED (or log). */
    record Car(DoorLocks locks, VehicleSignals signals, StatusIndicator indicator) {
    }

    /** The link to the cloud: the broker connection and the events published over it. */
    record Connection(BrokerConnection broker, DeviceEvents events) {
    }

    /** What the agent reports: the telemetry loop and where it goes, the battery guard and OBD-II poller if any. */
    record Telemetry(TelemetryLoop loop, TelemetrySink sink, BatteryGuard battery, ObdPoller obd) {
    }

    /** How commands are answered: the processor, and the queue that runs them one at a time. */
    record Commands(CommandProcessor processor, SerialQueue queue) {
    }

    /** @param owned closed when the agent stops, in this order */
    Agent(AgentConfig config, Clock clock, Car car, Connection connection, Telemetry telemetry, Commands commands,
          Timers timers, List<AutoCloseable> owned) {
        this.config = config;
        this.clock = clock;
        this.locks = car.locks();
        this.signals = car.signals();
        this.indicator = car.indicator();
        this.connection = connection.broker();
        this.events = connection.events();
        this.telemetry = telemetry.loop();
        this.telemetrySink = telemetry.sink();
        this.battery = telemetry.battery();
        this.obd = telemetry.obd();
        this.commands = commands.processor();
        this.ackSigner = new io.latchkey.protocol.command.AckSigner(config.tenant(), config.deviceId(), config.deviceSigner());
        this.commandQueue = commands.queue();
        this.timers = timers;
        this.statusFile = new StatusFile(config.dataDir());
        this.owned = List.copyOf(owned);
        this.version = AgentBuilder.VERSION;
        indicator.show(AgentState.BOOTING);
    }

    public static AgentBuilder builder(AgentConfig config) {
        return new AgentBuilder(config);
    }

    public synchronized void start() {
        if (started) {
            throw new IllegalStateException("agent " + config.deviceId() + " already started");
        }
        started = true;
        registrations.add(locks.addListener(state -> {
            if (connection.isConnected() && !closed) {
                publishState(true);
            }
        }));
        listener = new BrokerConnection.Listener() {
            @Override
            public void connected() {
                everOnline = true;
                StartupTrace.connected();
                publishState(true);
                io.latchkey.agent.identity.IdentityMaintenance id = identity;
                if (id != null) {
                    timers.scheduler().execute(id::connected);
                }
                telemetrySink.connected();
                firstConnection.complete(null);
                refreshStatusSoon();
                io.latchkey.agent.status.SystemdWatchdog w = watchdog;
                if (w != null) {
                    timers.scheduler().execute(w::ready); // a short process: off this I/O thread
                }
                if (ota != null) {
                    ota.connected();
                }
            }

            @Override
            public void disconnected(Throwable cause) {
                LOG.debug("{}: connection lost: {}", config.deviceId(), cause == null ? "-" : cause.toString());
                telemetrySink.disconnected();
                if (shownState == AgentState.ONLINE) {
                    // once when the connection goes, not at every failed reconnection attempt (the connection reports
                    // each one; the periodic refresh keeps the file current meanwhile)
                    refreshStatusSoon();
                }
            }

            @Override
            public void command(byte[] payload) {
                if (!closed) {
                    onCommand(payload);
                }
            }

            @Override
            public void receipt(byte[] payload) {
                if (!closed) {
                    telemetrySink.receipt(payload); // verified by the sink, off this I/O thread
                }
            }

            @Override
            public void identity(io.latchkey.protocol.Channel channel, byte[] payload) {
                io.latchkey.agent.identity.IdentityMaintenance id = identity;
                if (id != null && !closed) {
                    timers.scheduler().execute(() -> id.message(channel, payload)); // signature checks, file writes: off this I/O thread
                }
            }

            @Override
            public void revocations(byte[] payload) {
                io.latchkey.agent.key.OfflineKeys keys = offlineKeys;
                if (keys != null && !closed) {
                    timers.scheduler().execute(() -> keys.revocationMessage(payload)); // a signature check: off this I/O thread
                }
            }

            @Override
            public void ota(byte[] payload) {
                io.latchkey.agent.ota.OtaService updates = ota;
                if (updates != null && !closed) {
                    timers.scheduler().execute(() -> updates.offer(payload));
                }
            }

            @Override
            public void booking(byte[] payload) {
                io.latchkey.agent.power.PowerManager p = power;
                if (p != null && !closed) {
                    p.bookingMessage(payload);
                }
            }
        };
        if (power == null || !power.startsProtected()) {
            connectionStarted = true;
            connection.start(listener);
        } else {
            LOG.warn("{}: battery protection: not connecting until the voltage recovers", config.deviceId());
        }
        registrations.add(signals.addListener((name, value) -> {
            if (AgentSignals.TAMPERED.equals(name) && value >= 0.5 && !closed) {
                events.publish("TAMPER", Map.of("signal", name));
            }
        }));
        registrations.add(io.latchkey.agent.vehicle.LockedDoorWatch.watch(signals, locks, (type, details) -> {
            if (!closed) {
                events.publish(type, details);
            }
        }));
        telemetry.start();
        if (offlineKeysStart != null) {
            registrations.add(offlineKeysStart.get());
        }
        if (ota != null) {
            ota.start();
        }
        if (identity != null) {
            periodic.add(identity.start(timers.scheduler()));
        }
        periodic.add(timers.scheduler().scheduleWithFixedDelay(this::refreshStatus, 0,
                timers.statusEvery().toMillis(), TimeUnit.MILLISECONDS));
        if (power != null) {
            periodic.add(timers.scheduler().scheduleWithFixedDelay(this::checkPower, 0,
                    timers.batteryEvery().toMillis(), TimeUnit.MILLISECONDS));
        } else if (battery != null) {
            periodic.add(timers.scheduler().scheduleWithFixedDelay(this::checkBattery, 0,
                    timers.batteryEvery().toMillis(), TimeUnit.MILLISECONDS));
        }
        if (obd != null) {
            long every = timers.obdEvery().toNanos();
            periodic.add(timers.scheduler().scheduleWithFixedDelay(this::pollObd, every, every, TimeUnit.NANOSECONDS));
        }
        LOG.info("{}: agent {} started for tenant {}, broker {}", config.deviceId(), version, config.tenant(), config.mqttUrl());
    }

    /**
     * systemd's watchdog (docs/ota.md §8), after {@link #start()}: its ticks run on the agent's scheduler (a scheduler
     * stuck behind a task stops them), its probe is the MQTT connection's loop; {@code READY=1} at the first connection.
     */
    public synchronized io.latchkey.agent.status.SystemdWatchdog watchdog(io.latchkey.agent.status.SystemdWatchdog.Settings settings,
                                                                         io.latchkey.agent.status.SystemdWatchdog.Notifier notifier) {
        io.latchkey.agent.status.SystemdWatchdog w = new io.latchkey.agent.status.SystemdWatchdog(notifier, settings.interval(),
                List.of(new io.latchkey.agent.status.SystemdWatchdog.Probe("the MQTT connection's loop", connection::probe)));
        this.watchdog = w;
        if (connection.isConnected()) {
            timers.scheduler().execute(w::ready);
        }
        if (w.interval() != null && !closed) {
            periodic.add(timers.scheduler().scheduleWithFixedDelay(w::tick, 0, w.interval().toMillis(), TimeUnit.MILLISECONDS));
        }
        return w;
    }

    /** Set by the builder: certificate renewal and key sets (docs/device-identity.md). */
    void identity(io.latchkey.agent.identity.IdentityMaintenance maintenance) {
        this.identity = maintenance;
    }

    /** Set by the builder: the offline keys' service, started with the agent (after telemetry, which journals its uses). */
    void offlineKeys(io.latchkey.agent.key.OfflineKeys keys, java.util.function.Supplier<Registration> start) {
        this.offlineKeys = keys;
        this.offlineKeysStart = start;
    }

    /** Set by the builder: over-the-air updates, started with the agent and closed with it. */
    /** The version this agent reports: the release of the slot it runs from, when the builder knows it (docs/ota.md §5). */
    void version(String running) {
        this.version = java.util.Objects.requireNonNull(running, "running");
    }

    void ota(io.latchkey.agent.ota.OtaService updates) {
        this.ota = updates;
    }

    /**
     * The offline keys' service, if enabled ({@code keys.offline}): the seam for the revocation lists the cloud
     * publishes ({@link io.latchkey.agent.key.OfflineKeys#revocationMessage}) and the car's time.
     */
    public java.util.Optional<io.latchkey.agent.key.OfflineKeys> offlineKeys() {
        return java.util.Optional.ofNullable(offlineKeys);
    }

    /** Set by the builder: the power states; the agent carries out their changes ({@link io.latchkey.agent.power.PowerManager.Actions}). */
    void power(io.latchkey.agent.power.PowerManager manager) {
        this.power = manager;
        manager.actions(new io.latchkey.agent.power.PowerManager.Actions() {
            @Override
            public void parkedInterval(Duration interval) {
                telemetry.lowPower(interval);
            }

            @Override
            public void sleep(io.latchkey.agent.power.PowerState state, java.time.Instant nextWake) {
                goToSleep(state, nextWake);
            }

            @Override
            public void wake() {
                wakeUp();
            }
        });
    }

    /** The power states, if the agent runs them. */
    public java.util.Optional<io.latchkey.agent.power.PowerManager> power() {
        return java.util.Optional.ofNullable(power);
    }

    /** Says goodbye with the power state and the next wake (retained), then turns MQTT off until {@link #wakeUp()}. */
    private void goToSleep(io.latchkey.agent.power.PowerState state, java.time.Instant nextWake) {
        if (closed || !connectionStarted) {
            return;
        }
        if (connection.isConnected()) {
            DeviceState goodbye = new DeviceState(config.deviceId(), false, LockStates.toWire(locks.state()), clock.instant(),
                    version, state.name(), nextWake);
            await(connection.publish(Channel.STATE, Json.write(goodbye), true), Duration.ofSeconds(5));
        }
        await(connection.suspend(), Duration.ofSeconds(5));
        telemetrySink.disconnected();
        refreshStatus();
    }

    private void wakeUp() {
        if (closed) {
            return;
        }
        if (!connectionStarted) {
            connectionStarted = true;
            connection.start(listener);
        } else {
            connection.resume();
        }
    }

    private void checkPower() {
        try {
            io.latchkey.agent.power.PowerState before = power.state();
            power.check();
            if (power.state() != before) {
                refreshStatus(); // status.json shows the new state at once, not at the next 10 s
            }
        } catch (RuntimeException e) {
            LOG.warn("{}: power check failed: {}", config.deviceId(), e.toString());
        }
    }

    /** Completes when the agent has connected to the broker for the first time. */
    public CompletableFuture<Void> firstConnection() {
        return firstConnection;
    }

    public boolean isConnected() {
        return connection.isConnected();
    }

    /** What the status LED and {@code status.json} show now. */
    public AgentStatus status() {
        String fault = telemetrySink.fault();
        boolean connected = connection.isConnected();
        AgentState state = fault != null ? AgentState.FAULT
                : connected ? AgentState.ONLINE
                : everOnline ? AgentState.OFFLINE_BUFFERING
                : started ? AgentState.CONNECTING : AgentState.BOOTING;
        return new AgentStatus(config.deviceId(), version, state, connected, clock.instant(),
                telemetrySink instanceof JournalTelemetrySink j ? j.stats() : null,
                telemetrySink instanceof JournalTelemetrySink j ? j.receiptStats() : null,
                battery == null ? null : battery.lastVolts(), battery != null && battery.isLow(),
                obd == null ? null : new ObdStats(obd.responses(), obd.unanswered(), obd.malformed()), fault,
                power == null ? null : new AgentStatus.Power(power.state().name(), power.lastVolts(), power.nextWake(), power.since()));
    }

    /**
     * {@link #refreshStatus()} on the agent's scheduler: the connection's events arrive on its I/O thread, which a
     * simulated fleet shares between thousands of connections, and a file write there held up every other car's
     * TLS handshake and receipts (docs/benchmarks-scale.md, "Reconnect storm"). A burst of events writes once.
     */
    private void refreshStatusSoon() {
        if (statusRefreshQueued.compareAndSet(false, true)) {
            try {
                timers.scheduler().execute(() -> {
                    statusRefreshQueued.set(false);
                    refreshStatus();
                });
            } catch (java.util.concurrent.RejectedExecutionException e) {
                statusRefreshQueued.set(false); // shutting down
            }
        }
    }

    private void refreshStatus() {
        synchronized (timerWrites) {
            if (closed) {
                return;
            }
            try {
                AgentStatus s = status();
                indicator.show(s.state());
                shownState = s.state();
                statusFile.write(s);
            } catch (Exception e) {
                LOG.debug("{}: status not written: {}", config.deviceId(), e.toString());
            }
        }
    }

    private void checkBattery() {
        try {
            battery.check();
        } catch (RuntimeException e) {
            LOG.warn("{}: battery check failed: {}", config.deviceId(), e.toString());
        }
    }

    private void pollObd() {
        try {
            obd.pollNext();
        } catch (CanException e) {
            // Bus off or a full queue: the request counts as unanswered and the next one is tried on time.
            LOG.debug("{}: OBD-II request not sent: {}", config.deviceId(), e.getMessage());
        }
    }

    public AgentConfig config() {
        return config;
    }

    public String version() {
        return version;
    }

    private void onCommand(byte[] payload) {
        long received = System.nanoTime();
        CompletableFuture<Void> answered = new CompletableFuture<>();
        // The answer is published as soon as it is known; the history's result record is forced after.
        commandQueue.submit(() -> commands.process(payload, ack -> publishAck(ack, received)
                        .whenComplete((ok, e) -> answered.complete(null))))
                .whenComplete((ack, e) -> {
                    if (e != null) {
                        LOG.error("{}: command handling failed", config.deviceId(), e);
                        answered.complete(null);
                    }
                });
        lastAnswer = answered;
    }

    private CompletableFuture<Void> publishAck(CommandAck ack, long receivedNanos) {
        LOG.info("{}: command {} -> {}{}{} in {} ms", config.deviceId(), ack.commandId(), ack.outcome(),
                ack.reason() == null ? "" : " " + ack.reason(), ack.duplicate() ? " (duplicate)" : "",
                String.format("%.1f", (System.nanoTime() - receivedNanos) / 1e6));
        return connection.publish(Channel.ACK, ackSigner.signToWire(ack), false);
    }

    private CompletableFuture<Void> publishState(boolean online) {
        DeviceState state = new DeviceState(config.deviceId(), online, LockStates.toWire(locks.state()), clock.instant(), version,
                power == null ? null : power.state().name(), null);
        return connection.publish(Channel.STATE, Json.write(state), true).exceptionally(e -> {
            LOG.debug("{}: state not published: {}", config.deviceId(), e.toString());
            return null;
        });
    }

    /**
     * The graceful shutdown (SIGTERM): stops taking telemetry and commands, lets the command in flight
     * finish and answers it, fsyncs the journal, says goodbye (retained {@code online:false}),
     * disconnects, and releases what it owns.
     */
    @Override
    public void close() {
        close(Duration.ofSeconds(5));
    }

    public synchronized void close(Duration timeout) {
        if (closed) {
            return;
        }
        closed = true;
        registrations.forEach(Registration::close);
        periodic.forEach(f -> f.cancel(false));
        synchronized (timerWrites) {
            // a status write under way has ended; none starts now
        }
        if (obd != null) {
            obd.close();
        }
        telemetry.stop();
        await(commandQueue.idle(), timeout);
        await(lastAnswer, timeout);
        try {
            telemetrySink.close();
        } catch (RuntimeException e) {
            LOG.warn("{}: closing telemetry: {}", config.deviceId(), e.toString());
        }
        if (connection.isConnected()) {
            await(publishState(false), timeout);
        }
        await(connection.close(), timeout);
        for (AutoCloseable c : owned) {
            try {
                c.close();
            } catch (Exception e) {
                LOG.warn("{}: closing {}: {}", config.deviceId(), c, e.toString());
            }
        }
        LOG.info("{}: agent stopped", config.deviceId());
    }

    private void await(CompletableFuture<?> future, Duration timeout) {
        try {
            future.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            LOG.debug("{}: {} during shutdown", config.deviceId(), e.toString());
        }
    }
}
