package io.latchkey.simulator.interop;

import io.latchkey.agent.Agent;
import io.latchkey.agent.config.AgentConfig;
import io.latchkey.agent.config.AgentConfigLoader;
import io.latchkey.hal.gnss.FixedGnss;
import io.latchkey.hal.lock.SimulatedCentralLocking;
import io.latchkey.hal.vehicle.MutableVehicleSignals;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** Real agents booted from provisioning bundles, on simulated locks and a fixed GNSS position. */
final class DeviceAgents implements AutoCloseable {
    private final List<Agent> agents = new ArrayList<>();

    /** The agent's config exactly as the bundle's {@code agent.properties} says, with short reconnect delays. */
    static AgentConfig fromBundle(Path bundle) {
        return AgentConfigLoader.load(bundle.resolve("agent.properties")).toBuilder()
                .reconnectDelays(Duration.ofMillis(200), Duration.ofSeconds(2))
                .build();
    }

    Agent start(AgentConfig config) {
        SimulatedCentralLocking wiring = new SimulatedCentralLocking(true, () -> false);
        Agent agent = Agent.builder(config)
                .doorLocks(wiring.doorLocks(Duration.ZERO))
                .gnss(new FixedGnss(52.52, 13.405, Clock.systemUTC()))
                .vehicleSignals(new MutableVehicleSignals())
                .build();
        agents.add(agent);
        agent.start();
        return agent;
    }

    @Override
    public void close() {
        agents.forEach(Agent::close);
    }
}
