package io.latchkey.agent.cli;

import io.latchkey.agent.Agent;
import io.latchkey.agent.AgentException;
import io.latchkey.agent.config.AgentConfig;
import io.latchkey.agent.AgentConfigException;
import io.latchkey.agent.config.AgentConfigLoader;
import io.latchkey.hal.assembly.Hardware;
import io.latchkey.hal.assembly.HardwareConfig;
import io.latchkey.hal.assembly.HardwareFactory;
import io.latchkey.hal.gpio.pi4j.Pi4jGpio;
import io.latchkey.hal.HalException;
import io.latchkey.hal.config.ConfigException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code latchkey-agent run --config agent.properties}: the agent process, on the drivers its
 * {@code hardware.*} keys name. {@code --simulated} runs every part simulated instead; nothing else
 * ever falls back to a simulation. SIGTERM (systemd stop) runs the graceful shutdown: the command in
 * flight finishes, the journal is fsynced, {@code online:false} is published, then it disconnects.
 */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = "Runs the device agent from a config file (.properties or .json) until stopped.")
public final class RunCommand implements Callable<Integer> {
    /** The exit status that asks systemd for a restart after a renewed certificate or a new key set (EX_TEMPFAIL). */
    public static final int RESTART_EXIT = 75;

    @Option(names = {"-c", "--config"}, required = true, description = "agent config file (.properties or .json)")
    Path configFile;

    @Option(names = "--simulated", description = "run every hardware part simulated (relays, feedback, a parked GNSS fix, 12.6 V)")
    boolean simulated;

    @Option(names = "--sim-lat", defaultValue = DEFAULT_LAT, description = "simulated latitude (default ${DEFAULT-VALUE})")
    double lat = Double.parseDouble(DEFAULT_LAT);

    @Option(names = "--sim-lon", defaultValue = DEFAULT_LON, description = "simulated longitude (default ${DEFAULT-VALUE})")
    double lon = Double.parseDouble(DEFAULT_LON);

    private static final String DEFAULT_LAT = "52.5200";
    private static final String DEFAULT_LON = "13.4050";

    /**
     * The command line the unit starts the agent with ({@code run --config FILE} or {@code -c FILE}, {@code --simulated},
     * {@code --sim-lat}/{@code --sim-lon} with a number, each at most once, values after a space or {@code =}) read
     * without picocli: building picocli's model of the command tree by reflection loads ~170 classes, resident on a Pi for
     * the agent's whole life (issue 17, docs/benchmarks-agent.md "Fewer classes"). Anything else (help, version, another
     * subcommand, an unknown or repeated option, a value that is not a number, {@code @file}) gives empty, and the caller
     * hands the line to picocli, which reads, reports and refuses it as before. What this accepts, picocli reads the same
     * way ({@code RunCommandTest}).
     */
    public static java.util.Optional<RunCommand> plain(String[] args) {
        if (args.length < 2 || !"run".equals(args[0])) {
            return java.util.Optional.empty();
        }
        RunCommand run = new RunCommand();
        java.util.Set<String> seen = new java.util.HashSet<>();
        for (int i = 1; i < args.length; i++) {
            String arg = args[i];
            int eq = arg.startsWith("--") ? arg.indexOf('=') : -1;
            String name = eq < 0 ? arg : arg.substring(0, eq);
            if (name.equals("-c")) {
                name = "--config";
            }
            if (!seen.add(name)) {
                return java.util.Optional.empty();
            }
            if (name.equals("--simulated")) {
                if (eq >= 0) {
                    return java.util.Optional.empty();
                }
                run.simulated = true;
                continue;
            }
            if (!name.equals("--config") && !name.equals("--sim-lat") && !name.equals("--sim-lon")) {
                return java.util.Optional.empty();
            }
            String value;
            if (eq >= 0) {
                value = arg.substring(eq + 1);
            } else if (i + 1 < args.length && !args[i + 1].startsWith("-") && !args[i + 1].startsWith("@")) {
                value = args[++i];   // (a word that looks like an option, or an @file picocli would expand: picocli's call)
            } else {
                return java.util.Optional.empty();
            }
            if (value.isEmpty()) {
                return java.util.Optional.empty();
            }
            try {
                switch (name) {
                    case "--config" -> run.configFile = Path.of(value);
                    case "--sim-lat" -> run.lat = Double.parseDouble(value);
                    default -> run.lon = Double.parseDouble(value);
                }
            } catch (RuntimeException e) {
                return java.util.Optional.empty();
            }
        }
        return run.configFile == null ? java.util.Optional.empty() : java.util.Optional.of(run);
    }

    /** As picocli runs it: the exit status {@link #call()} returns, or 1 and the stack trace on standard error. */
    public int execute() {
        try {
            return call();
        } catch (Exception e) {
            e.printStackTrace();
            return 1;
        }
    }

    Path configFile() {
        return configFile;
    }

    boolean simulated() {
        return simulated;
    }

    double lat() {
        return lat;
    }

    double lon() {
        return lon;
    }

    @Override
    public Integer call() throws InterruptedException {
        if (!"false".equals(System.getProperty(StartupWarmup.PROPERTY))) {
            StartupWarmup.start(configFile);
        }
        AgentConfig config;
        HardwareConfig hardwareConfig;
        try {
            // the newest renewed certificate and signed key set in the data folder, over what was provisioned
            config = io.latchkey.agent.identity.CertificateRenewal.effective(
                    io.latchkey.agent.identity.KeySets.effective(AgentConfigLoader.load(configFile)));
            hardwareConfig = simulated
                    ? HardwareConfig.parse(Map.of("hardware.locks", "simulated", "hardware.gnss", "simulated",
                            "hardware.power", "simulated", "hardware.gnss.simulated.lat", Double.toString(lat),
                            "hardware.gnss.simulated.lon", Double.toString(lon)), null)
                    : config.hardware().orElseThrow(() -> new AgentConfigException(
                            "no hardware.* keys: name the drivers (hardware.locks=pi4j|simulated, hardware.gnss="
                                    + "serial|gpsd|simulated, ...) or pass --simulated"));
        } catch (AgentConfigException | ConfigException e) {
            System.err.println("latchkey-agent run: bad configuration: " + e.getMessage());
            return 2;
        }
        io.latchkey.agent.StartupTrace.mark("config");
        Clock clock = Clock.systemUTC();
        ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "latchkey-agent");
            t.setDaemon(true);
            return t;
        });
        Agent agent;
        Hardware hardware;
        try {
            hardware = new HardwareFactory(clock, () -> Pi4jGpio.gpiod(hardwareConfig.gpioDebounce()))
                    .create(hardwareConfig);
            io.latchkey.agent.StartupTrace.mark("hardware");
            agent = Agent.builder(config).hardware(hardware).clock(clock).scheduler(scheduler)
                    // exit; systemd (Restart=always) starts the agent again with the renewed identity or new keys
                    .restart(() -> new Thread(() -> System.exit(RESTART_EXIT), "latchkey-agent-restart").start())
                    .build();
            io.latchkey.agent.StartupTrace.mark("built");
        } catch (HalException | AgentException e) {
            System.err.println("latchkey-agent run: cannot start: " + e.getMessage());
            scheduler.shutdownNow();
            return 3;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            agent.close();
            scheduler.shutdownNow();
            stopped.countDown();
        }, "latchkey-agent-shutdown"));
        System.out.println("latchkey-agent: " + config.deviceId() + " (tenant " + config.tenant() + "), broker "
                + config.mqttUrl() + (simulated ? ", on SIMULATED hardware" : ""));
        hardware.description().forEach(line -> System.out.println("  " + line));
        if (!config.obdPids().isEmpty()) {
            System.out.println("  obd-ii: mode 01 " + config.obdPids() + ", one request every " + config.obdInterval().toMillis() + " ms");
        }
        agent.start();
        // systemd's watchdog and readiness (docs/ota.md §8), when the unit asks for them
        io.latchkey.agent.status.SystemdWatchdog.fromEnvironment(System.getenv()).ifPresent(settings -> agent.watchdog(settings,
                new io.latchkey.agent.status.SystemdWatchdog.CommandNotifier(java.util.List.of("systemd-notify"), java.time.Duration.ofSeconds(5))));
        stopped.await();
        return 0;
    }
}
