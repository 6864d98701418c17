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

    @Option(names = "--sim-lat", defaultValue = "52.5200", description = "simulated latitude (default ${DEFAULT-VALUE})")
    double lat;

    @Option(names = "--sim-lon", defaultValue = "13.4050", description = "simulated longitude (default ${DEFAULT-VALUE})")
    double lon;

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
