package io.latchkey.agent;

import com.hivemq.client.mqtt.MqttClientExecutorConfig;
import io.latchkey.agent.command.CommandHistory;
import io.latchkey.agent.command.CommandProcessor;
import io.latchkey.agent.command.FileCommandHistory;
import io.latchkey.agent.command.LockActuator;
import io.latchkey.agent.command.SerialQueue;
import io.latchkey.agent.config.AgentConfig;
import io.latchkey.agent.mqtt.BrokerConnection;
import io.latchkey.agent.mqtt.ReconnectBackoff;
import io.latchkey.agent.journal.JournalSequenceCounter;
import io.latchkey.agent.journal.JournalTelemetrySink;
import io.latchkey.agent.journal.TelemetryJournal;
import io.latchkey.agent.telemetry.FileSequenceCounter;
import io.latchkey.agent.telemetry.SequenceCounter;
import io.latchkey.agent.telemetry.TelemetryLoop;
import io.latchkey.agent.telemetry.TelemetrySampler;
import io.latchkey.agent.telemetry.TelemetrySink;
import io.latchkey.agent.vehicle.VehicleStatus;
import io.latchkey.hal.gnss.Gnss;
import io.latchkey.agent.events.DeviceEvents;
import io.latchkey.hal.assembly.Hardware;
import io.latchkey.hal.assembly.HardwareConfig;
import io.latchkey.hal.gpio.DigitalOutput;
import io.latchkey.agent.power.BatteryGuard;
import io.latchkey.agent.status.GpioStatusIndicator;
import io.latchkey.agent.status.LogStatusIndicator;
import io.latchkey.agent.status.StatusIndicator;
import io.latchkey.hal.can.CanBus;
import io.latchkey.hal.can.obd.ObdPoller;
import io.latchkey.hal.lock.DoorLocks;
import io.latchkey.hal.lock.Immobiliser;
import io.latchkey.hal.power.SupplyVoltage;
import io.latchkey.hal.vehicle.MutableVehicleSignals;
import io.latchkey.protocol.Json;
import io.latchkey.protocol.LockState;
import io.latchkey.protocol.command.CommandVerifier;
import io.latchkey.protocol.telemetry.ReceiptVerifier;
import io.latchkey.protocol.telemetry.DeviceState;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Function;
import java.util.random.RandomGenerator;

/**
 * Assembles an {@link Agent}. The hardware (door locks, GNSS, vehicle signals) is required; the rest
 * has defaults: system UTC clock, a private single-thread scheduler, the MQTT client of {@code mqtt.client}
 * (Eclipse Paho unless configured; the HiveMQ client on its shared default event loop), file-backed command history, and the telemetry journal (which also owns the
 * telemetry sequence) under the data dir. With {@code can.obd.pids} set it also polls those PIDs over
 * OBD-II on the car's {@link #canBus CAN bus} into the vehicle signals.
 * A fleet passes its shared {@link #scheduler}, {@link #executor} and {@link #mqttExecutorConfig}
 * so that a thousand agents share a handful of threads.
 */
public final class AgentBuilder {
    /** Reported in {@link DeviceState#agentVersion()}. */
    public static final String VERSION = versionOf(Agent.class);
    /** The journal's folder under the data dir. */
    public static final String JOURNAL_DIR = "journal";

    private final AgentConfig config;
    private DoorLocks doorLocks;
    private Gnss gnss;
    private MutableVehicleSignals vehicleSignals;
    private CanBus canBus;
    private Clock clock = Clock.systemUTC();
    private ScheduledExecutorService scheduler;
    private Executor executor;
    private Executor commandExecutor;
    private MqttClientExecutorConfig mqttExecutorConfig;
    private RandomGenerator random = new SplittableRandom();
    private Function<byte[], BrokerConnection> connectionFactory;
    private CommandHistory commandHistory;
    private SequenceCounter sequenceCounter;
    private Function<BrokerConnection, TelemetrySink> telemetrySinkFactory;
    private Immobiliser immobiliser;
    private SupplyVoltage supplyVoltage;
    private StatusIndicator statusIndicator;
    private DigitalOutput statusLed;
    private io.latchkey.hal.key.BleKeyLink bleKeyLink;
    private io.latchkey.hal.key.BarcodeScanner barcodeScanner;
    private io.latchkey.hal.time.Rtc rtc;
    private java.util.function.LongSupplier nanoTime = System::nanoTime;
    private java.security.SecureRandom secureRandom;
    private Runnable restart;
    private final List<AutoCloseable> resources = new ArrayList<>();
    private Runnable otaRestart = () -> new Thread(() -> System.exit(0), "latchkey-ota-restart").start();
    private io.latchkey.agent.ota.OtaService.Running otaRunning;
    private io.latchkey.agent.ota.Slots.Step otaStep = io.latchkey.agent.ota.Slots.Step.NONE;
    /** The commands' actuator, built with them and shared with the offline keys. */
    private LockActuator lockActuator;

    AgentBuilder(AgentConfig config) {
        this.config = Objects.requireNonNull(config, "config");
    }

    public AgentBuilder doorLocks(DoorLocks doorLocks) {
        this.doorLocks = doorLocks;
        return this;
    }

    public AgentBuilder gnss(Gnss gnss) {
        this.gnss = gnss;
        return this;
    }

    /**
     * The signal table the agent reads (telemetry, safety checks). The car's decoders write into it, and
     * so does the agent's own OBD-II poller.
     */
    public AgentBuilder vehicleSignals(MutableVehicleSignals vehicleSignals) {
        this.vehicleSignals = vehicleSignals;
        return this;
    }

    /**
     * The car's CAN bus, if it has one: the OBD-II requests of {@code can.obd.pids} go out on it. The
     * agent does not close it (hand the driver to {@link #closeOnStop}).
     */
    public AgentBuilder canBus(CanBus canBus) {
        this.canBus = canBus;
        return this;
    }

    public AgentBuilder clock(Clock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
        return this;
    }

    /** Timers (telemetry, feedback timeouts); shared by a fleet, never shut down by the agent. */
    public AgentBuilder scheduler(ScheduledExecutorService scheduler) {
        this.scheduler = scheduler;
        return this;
    }

    /** Where commands run (relay pulses) and HAL events are handled; defaults to the scheduler. */
    public AgentBuilder executor(Executor executor) {
        this.executor = executor;
        return this;
    }

    /**
     * Where commands are verified and executed, one at a time; defaults to the {@link #executor work
     * executor}. A simulated fleet gives commands threads of their own, as each real car has its own CPU
     * for its command while the fleet's shared workers journal everyone's telemetry.
     */
    public AgentBuilder commandExecutor(Executor commandExecutor) {
        this.commandExecutor = commandExecutor;
        return this;
    }

    /** The HiveMQ client's Netty executor/thread count ({@code mqtt.client=hivemq}); agents given the same config share one event loop. */
    public AgentBuilder mqttExecutorConfig(MqttClientExecutorConfig mqttExecutorConfig) {
        this.mqttExecutorConfig = mqttExecutorConfig;
        return this;
    }

    /** Source of reconnection jitter; seed it for reproducible simulations. */
    public AgentBuilder random(RandomGenerator random) {
        this.random = Objects.requireNonNull(random, "random");
        return this;
    }

    /** Replaces the broker connection (tests, the simulator's fleet); the function receives the last-will payload. */
    public AgentBuilder brokerConnection(Function<byte[], BrokerConnection> factory) {
        this.connectionFactory = factory;
        return this;
    }

    /** The durable command history a car keeps under its data directory (what {@link #build} uses by default). */
    public static CommandHistory durableCommandHistory(AgentConfig config, Clock clock) {
        return new FileCommandHistory(config.dataDir(), config.commandHistorySize(), config.deviceId(), clock);
    }

    public AgentBuilder commandHistory(CommandHistory history) {
        this.commandHistory = history;
        return this;
    }

    public AgentBuilder sequenceCounter(SequenceCounter counter) {
        this.sequenceCounter = counter;
        return this;
    }

    /** Replaces where telemetry goes (tests); defaults to the on-disk journal under {@code data.dir/journal}. */
    public AgentBuilder telemetrySink(Function<BrokerConnection, TelemetrySink> factory) {
        this.telemetrySinkFactory = factory;
        return this;
    }

    /** The immobiliser relay; without one, IMMOBILISE and MOBILISE are answered FAILED NO_IMMOBILISER. */
    public AgentBuilder immobiliser(Immobiliser immobiliser) {
        this.immobiliser = immobiliser;
        return this;
    }

    /** Enables battery protection with the thresholds of {@code hardware.power.*} (defaults if none). */
    public AgentBuilder supplyVoltage(SupplyVoltage supplyVoltage) {
        this.supplyVoltage = supplyVoltage;
        return this;
    }

    /**
     * Everything the hardware assembly opened: locks, immobiliser, GNSS, signals, CAN bus, supply voltage,
     * the status LED; the agent closes the drivers when it stops.
     */
    public AgentBuilder hardware(Hardware hardware) {
        doorLocks(hardware.doorLocks()).gnss(hardware.gnss()).vehicleSignals(hardware.signals());
        hardware.immobiliser().ifPresent(this::immobiliser);
        hardware.canBus().ifPresent(this::canBus);
        hardware.supplyVoltage().ifPresent(this::supplyVoltage);
        hardware.statusLed().ifPresent(led -> this.statusLed = led);
        hardware.bleKeyLink().ifPresent(this::bleKeyLink);
        hardware.barcodeScanner().ifPresent(this::barcodeScanner);
        hardware.rtc().ifPresent(this::rtc);
        hardware.drivers().forEach(this::closeOnStop);
        return this;
    }

    /** The BLE GATT peripheral phones present offline keys to (docs/offline-keys.md §3); none by default. */
    public AgentBuilder bleKeyLink(io.latchkey.hal.key.BleKeyLink link) {
        this.bleKeyLink = link;
        return this;
    }

    /** The windscreen scanner for QR key presentations (docs/offline-keys.md §4); none by default. */
    public AgentBuilder barcodeScanner(io.latchkey.hal.key.BarcodeScanner scanner) {
        this.barcodeScanner = scanner;
        return this;
    }

    /** The hardware RTC, a source of the car's time for offline keys (docs/offline-keys.md §7); none by default. */
    public AgentBuilder rtc(io.latchkey.hal.time.Rtc rtc) {
        this.rtc = rtc;
        return this;
    }

    /** The monotonic clock the car's time runs on between anchors (tests drive their own); {@code System::nanoTime}. */
    public AgentBuilder nanoTime(java.util.function.LongSupplier nanoTime) {
        this.nanoTime = Objects.requireNonNull(nanoTime, "nanoTime");
        return this;
    }

    /** Challenges' nonces and the boot epoch; a strong source by default. */
    public AgentBuilder secureRandom(java.security.SecureRandom random) {
        this.secureRandom = Objects.requireNonNull(random, "random");
        return this;
    }

    /** Where the agent shows its state; defaults to the hardware's status LED if it has one, else the log. Closed with the agent. */
    public AgentBuilder statusIndicator(StatusIndicator indicator) {
        this.statusIndicator = indicator;
        return this;
    }

    /**
     * How the agent restarts into a release it installed, or back after a failed self-test (docs/ota.md §5); by default
     * the process exits (graceful shutdown hook) and systemd starts it again through the launcher.
     */
    public AgentBuilder otaRestart(Runnable restart) {
        this.otaRestart = Objects.requireNonNull(restart, "restart");
        return this;
    }

    /** Where the agent runs from; by default what the launcher said ({@code LATCHKEY_SLOT}, {@code LATCHKEY_SLOT_DIR}). */
    public AgentBuilder otaRunning(io.latchkey.agent.ota.OtaService.Running running) {
        this.otaRunning = running;
        return this;
    }

    /** Called before each change of the OTA slots on disk; the simulator cuts the power there (docs/simulator.md). */
    public AgentBuilder otaStep(io.latchkey.agent.ota.Slots.Step step) {
        this.otaStep = Objects.requireNonNull(step, "step");
        return this;
    }

    /** The version the agent reports: its slot's release when given ({@link #otaRunning}), else the jar's. */
    private String runningVersion() {
        return otaRunning != null && otaRunning.version() != null ? otaRunning.version() : VERSION;
    }

    /** Something the agent closes when it stops, after everything else (hardware drivers). */
    public AgentBuilder closeOnStop(AutoCloseable resource) {
        resources.add(Objects.requireNonNull(resource, "resource"));
        return this;
    }

    public Agent build() {
        require(doorLocks, "doorLocks");
        require(gnss, "gnss");
        require(vehicleSignals, "vehicleSignals");
        config.deviceSigner(); // fails fast, naming the key, when the config has no device key
        if (!config.obdPids().isEmpty() && canBus == null) {
            throw new AgentException("AgentBuilder: can.obd.pids is set (" + config.obdPids()
                    + ") but the agent was given no CAN bus (hardware.can=none, or run --simulated)");
        }
        List<AutoCloseable> owned = new ArrayList<>();
        ScheduledExecutorService timers = timers(owned);
        Executor work = executor != null ? executor : timers;
        io.latchkey.agent.key.CarClock carClock = config.offlineKeys() ? new io.latchkey.agent.key.CarClock(nanoTime) : null;
        BrokerConnection connection = connection();
        if (carClock != null) {
            connection = new io.latchkey.agent.key.CommandTimeTap(connection, config.commandKeys(), config.tenant(),
                    config.deviceId(), carClock, work);
        }
        VehicleStatus vehicle = new VehicleStatus(vehicleSignals, gnss, config.movingSpeedKmh(), clock);
        Agent.Commands commands = commands(vehicle, timers, work, owned);
        DeviceEvents events = new DeviceEvents(connection, config.deviceId(), clock);
        Agent.Telemetry telemetry = telemetry(vehicle, connection, events, timers, work);
        io.latchkey.agent.key.OfflineKeys keys = carClock == null ? null
                : offlineKeys(carClock, vehicle, commands.queue(), telemetry.loop(), events, owned);
        Agent.Timers agentTimers = new Agent.Timers(timers, java.time.Duration.ofSeconds(10),
                hardwareConfig().powerCheckInterval(), config.obdInterval());
        io.latchkey.agent.ota.OtaService updates = null;
        if (!config.updateKeys().isEmpty()) {
            // its own thread: a download or an unpack must not hold up the agent's timers
            ScheduledExecutorService otaThread = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "latchkey-ota-" + config.deviceId());
                t.setDaemon(true);
                return t;
            });
            owned.add(otaThread::shutdownNow);
            updates = ota(connection, vehicle, otaThread);
            owned.add(0, updates);
        }
        StatusIndicator indicator = indicator(timers);
        owned.add(indicator);
        owned.addAll(resources);
        Agent agent = new Agent(config, clock, new Agent.Car(doorLocks, vehicleSignals, indicator),
                new Agent.Connection(connection, events), telemetry, commands, agentTimers, owned);
        agent.version(runningVersion());
        if (updates != null) {
            agent.ota(updates);
        }
        agent.identity(identity(connection));
        agent.power(new io.latchkey.agent.power.PowerManager(config.power(), supplyVoltage, telemetry.battery(), vehicle, events,
                clock, config.dataDir(), config.deviceId()));
        if (keys != null) {
            io.latchkey.agent.key.RtcTime rtcTime = rtc == null ? null : new io.latchkey.agent.key.RtcTime(rtc, carClock, config.dataDir());
            agent.offlineKeys(keys, () -> {
                io.latchkey.hal.Registration rtcSync = rtcTime == null ? () -> { } : rtcTime.start(timers, config.keysTimePersistInterval());
                io.latchkey.hal.Registration started = keys.start(Optional.ofNullable(bleKeyLink), Optional.ofNullable(barcodeScanner), gnss,
                        timers, config.keysTimePersistInterval());
                return () -> {
                    rtcSync.close();
                    started.close();
                };
            });
        }
        return agent;
    }

    /**
     * The offline keys' service (docs/offline-keys.md): the tenant keys pinned for commands verify credentials, the
     * device key signs BLE results, the commands' actuator and queue move the locks, the telemetry journal keeps
     * each use. Closed (the time bound persisted) when the agent stops.
     */
    private io.latchkey.agent.key.OfflineKeys offlineKeys(io.latchkey.agent.key.CarClock carClock, VehicleStatus vehicle,
                                                          SerialQueue queue, TelemetryLoop loop, DeviceEvents events,
                                                          List<AutoCloseable> owned) {
        io.latchkey.agent.key.OfflineKeys keys = new io.latchkey.agent.key.OfflineKeys(
                new io.latchkey.agent.key.OfflineKeys.Identity(config.tenant(), config.deviceId(),
                        io.latchkey.protocol.device.DeviceKeys.signing(config.deviceKey()),
                        config.earlierDeviceKeys().stream().collect(java.util.stream.Collectors.toMap(
                                k -> io.latchkey.agent.key.OfflineKeys.Identity.spki(k.getPublic()),
                                k -> io.latchkey.protocol.device.DeviceKeys.signing(k.getPrivate()), (a, b) -> a))),
                new io.latchkey.protocol.key.OfflineKeyVerifier(config.commandKeys(), config.tenant(), config.deviceId()),
                carClock, io.latchkey.agent.key.KeyStateFile.open(config.dataDir()),
                new io.latchkey.agent.key.DoorLockKeyActions(lockActuator, queue, doorLocks, Optional.ofNullable(immobiliser), vehicle),
                event -> {
                    // the journal carries it exactly once whenever the car is online; published at once too when it is
                    loop.recordEvent(io.latchkey.agent.key.OfflineKeys.EVENT, event);
                    events.publish(event);
                },
                secureRandom != null ? secureRandom : new java.security.SecureRandom(), nanoTime, clock);
        owned.add(0, keys);
        return keys;
    }

    /**
     * Over-the-air updates (docs/ota.md): the update keys pinned at provisioning check releases; the slots are under
     * {@code LATCHKEY_OTA_DIR} (the launcher's) or {@code data.dir/ota}; the car counts as in use (no install) while it
     * moves, its ignition is on or its doors are not locked.
     */
    private io.latchkey.agent.ota.OtaService ota(BrokerConnection connection, VehicleStatus vehicle, ScheduledExecutorService timers) {
        io.latchkey.agent.ota.OtaSettings settings = config.ota();
        String dir = System.getenv("LATCHKEY_OTA_DIR");
        io.latchkey.agent.ota.Slots slots = new io.latchkey.agent.ota.Slots(dir != null ? java.nio.file.Path.of(dir) : config.dataDir().resolve("ota"), otaStep);
        io.latchkey.agent.ota.OtaService.Running running = otaRunning;
        if (running == null) {
            String slotDir = System.getenv("LATCHKEY_SLOT_DIR");
            running = new io.latchkey.agent.ota.OtaService.Running(Objects.requireNonNullElse(System.getenv("LATCHKEY_SLOT"), "factory"),
                    slotDir == null ? null : java.nio.file.Path.of(slotDir), VERSION);
        }
        io.latchkey.agent.ota.Downloader downloader = new io.latchkey.agent.ota.Downloader(
                java.time.Duration.ofSeconds(60),
                new io.latchkey.agent.ota.DownloadBudget(slots.root().resolve("download-budget"), settings.bytesPerDay(), clock),
                d -> Thread.sleep(d.toMillis()), settings.attempts(), settings.retryInitial(), settings.retryMax());
        java.util.function.BooleanSupplier inUse = () -> vehicle.isMoving()
                || doorLocks.state() != io.latchkey.hal.lock.LockState.LOCKED
                || vehicleSignals.value(io.latchkey.hal.vehicle.Vss.IGNITION_ON).map(v -> v >= 0.5).orElse(false);
        return new io.latchkey.agent.ota.OtaService(
                new io.latchkey.agent.ota.OtaService.Identity(config.tenant(), config.deviceId(), config.deviceSigner()),
                new io.latchkey.protocol.ota.UpdateVerifier(config.updateKeys(), config.tenant(), io.latchkey.agent.config.AgentConfig.CONFIG_SCHEMA),
                slots, downloader, running, inUse, settings, clock, timers,
                payload -> connection.publish(io.latchkey.protocol.Channel.OTA_STATUS, payload, false), otaRestart);
    }

    /**
     * Certificate renewal (with a certificate) and key sets (docs/device-identity.md); a new certificate or key set
     * restarts the agent through {@link #restart(Runnable)} (the process exits and systemd starts it again), or, with
     * none given (tests, the simulator), is only logged and taken at the next start.
     */
    private io.latchkey.agent.identity.IdentityMaintenance identity(BrokerConnection connection) {
        Runnable onChange = restart != null ? restart
                : () -> org.slf4j.LoggerFactory.getLogger(AgentBuilder.class).info("{}: new identity or keys stored; taken at the next start",
                        config.deviceId());
        io.latchkey.agent.identity.CertificateRenewal renewal = config.tls() == null ? null
                : new io.latchkey.agent.identity.CertificateRenewal(config, connection, clock,
                        secureRandom != null ? secureRandom : new java.security.SecureRandom(), onChange);
        return new io.latchkey.agent.identity.IdentityMaintenance(config.deviceId(), renewal,
                io.latchkey.agent.identity.KeySets.open(config), onChange);
    }

    /** What to do when the device stored a renewed certificate or a new key set: restart the process (RunCommand). */
    public AgentBuilder restart(Runnable restart) {
        this.restart = restart;
        return this;
    }

    /** The scheduler given, or a private single thread the agent shuts down when it stops. */
    private ScheduledExecutorService timers(List<AutoCloseable> owned) {
        if (scheduler != null) {
            return scheduler;
        }
        ScheduledExecutorService own = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "latchkey-agent-" + config.deviceId());
            t.setDaemon(true);
            return t;
        });
        owned.add(own::shutdownNow);
        return own;
    }

    private BrokerConnection connection() {
        byte[] will = Json.write(new DeviceState(config.deviceId(), false, LockState.UNKNOWN, clock.instant(), runningVersion()));
        return connectionFactory != null
                ? connectionFactory.apply(will)
                : io.latchkey.agent.mqtt.BrokerConnections.create(config.mqttClient(), config.brokerEndpoint(clock, random), will,
                        new ReconnectBackoff(config.reconnectInitialDelay(), config.reconnectMaxDelay(), random), mqttExecutorConfig);
    }

    private Agent.Commands commands(VehicleStatus vehicle, ScheduledExecutorService timers, Executor work,
                                    List<AutoCloseable> owned) {
        CommandHistory history = commandHistory != null ? commandHistory : durableCommandHistory(config, clock);
        owned.add(0, history);
        CommandVerifier verifier = new CommandVerifier(config.commandKeys(), config.tenant(), config.deviceId(), clock,
                config.commandSkew());
        LockActuator actuator = new LockActuator(doorLocks, timers, config.feedbackTimeout());
        lockActuator = actuator;
        owned.add(actuator);
        CommandProcessor processor = new CommandProcessor(verifier, history, actuator, doorLocks,
                Optional.ofNullable(immobiliser), vehicle, config.deviceId(), clock);
        return new Agent.Commands(processor, new SerialQueue(commandExecutor != null ? commandExecutor : work));
    }

    /** The telemetry loop into the journal (or the sink given), with battery protection and OBD-II polling if set up. */
    private Agent.Telemetry telemetry(VehicleStatus vehicle, BrokerConnection connection, DeviceEvents events,
                                      ScheduledExecutorService timers, Executor work) {
        TelemetrySink sink;
        SequenceCounter counter = sequenceCounter;
        if (telemetrySinkFactory != null) {
            sink = telemetrySinkFactory.apply(connection);
            if (counter == null) {
                counter = new FileSequenceCounter(config.dataDir());
            }
        } else {
            TelemetryJournal journal = TelemetryJournal.open(config.dataDir().resolve(JOURNAL_DIR), config.journal(),
                    FileSequenceCounter.legacyLast(config.dataDir()));
            sink = new JournalTelemetrySink(journal, connection, receiptVerifier(config), config.deviceId(), clock,
                    timers, work, config.receiptTimeout());
            if (counter == null) {
                counter = new JournalSequenceCounter(journal);
            }
        }
        TelemetryLoop loop = new TelemetryLoop(new TelemetrySampler(vehicle, doorLocks, clock), counter, sink,
                vehicle, doorLocks, timers, work, config.movingInterval(), config.parkedInterval());
        BatteryGuard battery = null;
        if (supplyVoltage != null) {
            HardwareConfig hw = hardwareConfig();
            battery = new BatteryGuard(supplyVoltage, loop, events, hw.lowVolts(), hw.recoverVolts(), hw.lowPowerInterval());
        }
        ObdPoller obd = config.obdPids().isEmpty() ? null : new ObdPoller(canBus, vehicleSignals, config.obdPids());
        return new Agent.Telemetry(loop, sink, battery, obd);
    }

    /** Receipts are signed by the tenant's command key, so the keys pinned for commands check them too. */
    public static ReceiptVerifier receiptVerifier(AgentConfig config) {
        return new ReceiptVerifier(config.commandKeys(), config.tenant(), config.deviceId());
    }

    private HardwareConfig hardwareConfig() {
        return config.hardware().orElse(HardwareConfig.allSimulated());
    }

    /** The indicator given, else the status LED of the hardware blinking the state, else the log. */
    private StatusIndicator indicator(ScheduledExecutorService timers) {
        if (statusIndicator != null) {
            return statusIndicator;
        }
        return statusLed != null ? new GpioStatusIndicator(statusLed, timers) : new LogStatusIndicator();
    }

    private static void require(Object value, String name) {
        if (value == null) {
            throw new AgentException("AgentBuilder: " + name + " is required");
        }
    }

    private static String versionOf(Class<?> type) {
        String v = type.getPackage() == null ? null : type.getPackage().getImplementationVersion();
        return v != null ? v : "0.1.0-SNAPSHOT";
    }
}
