package io.latchkey.agent.cli;

import io.latchkey.agent.Agent;

import io.latchkey.agent.config.AgentConfig;
import io.latchkey.agent.config.AgentConfigException;
import io.latchkey.agent.config.AgentConfigLoader;
import io.latchkey.agent.simulated.FixedGnss;
import io.latchkey.agent.simulated.SimulatedCentralLocking;
import io.latchkey.hal.vehicle.MutableVehicleSignals;
import io.latchkey.hal.vehicle.Vss;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code latchkey-agent run --config agent.properties --simulated}: the agent process. Real hardware
 * drivers arrive with issue 3; until then the agent runs only on simulated hardware, and only when
 * asked to, so that it can never pretend to drive a car it is not wired to.
 */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = "Runs the device agent from a config file (.properties or .json) until stopped.")
public final class RunCommand implements Callable<Integer> {
    @Option(names = {"-c", "--config"}, required = true, description = "agent config file (.properties or .json)")
    Path configFile;

    @Option(names = "--simulated", description = "run on simulated hardware (relays, feedback, a parked GNSS fix)")
    boolean simulated;

    @Option(names = "--sim-lat", defaultValue = "52.5200", description = "simulated latitude (default ${DEFAULT-VALUE})")
    double lat;

    @Option(names = "--sim-lon", defaultValue = "13.4050", description = "simulated longitude (default ${DEFAULT-VALUE})")
    double lon;

    @Override
    public Integer call() throws InterruptedException {
        AgentConfig config;
        try {
            config = AgentConfigLoader.load(configFile);
        } catch (AgentConfigException e) {
            System.err.println("latchkey-agent run: bad configuration: " + e.getMessage());
            return 2;
        }
        if (!simulated) {
            System.err.println("latchkey-agent run: this build has no hardware drivers yet; "
                    + "pass --simulated to run on simulated hardware");
            return 2;
        }
        Clock clock = Clock.systemUTC();
        MutableVehicleSignals signals = new MutableVehicleSignals();
        signals.update(Vss.SPEED, 0);
        signals.update(Vss.IGNITION_ON, 0);
        SimulatedCentralLocking wiring = new SimulatedCentralLocking(true,
                () -> signals.value(Vss.DRIVER_DOOR_OPEN).orElse(0.0) >= 0.5);
        Agent agent = Agent.builder(config)
                .doorLocks(wiring.doorLocks(Duration.ofMillis(200)))
                .gnss(new FixedGnss(lat, lon, clock))
                .vehicleSignals(signals)
                .clock(clock)
                .build();
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            agent.close();
            stopped.countDown();
        }, "latchkey-agent-shutdown"));
        System.out.println("latchkey-agent: " + config.deviceId() + " (tenant " + config.tenant()
                + ") on SIMULATED hardware, broker " + config.mqttUrl());
        agent.start();
        stopped.await();
        return 0;
    }
}
