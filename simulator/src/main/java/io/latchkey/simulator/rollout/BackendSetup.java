package io.latchkey.simulator.rollout;

import io.latchkey.agent.config.AgentConfig;
import io.latchkey.simulator.api.ApiTypes.CarDetail;
import io.latchkey.simulator.api.LatchkeyClient;
import io.latchkey.simulator.api.Session;
import io.latchkey.simulator.scenario.AgentConfigs;
import io.latchkey.simulator.scenario.FleetSetup;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A fleet on the real backend: a tenant set up through the public API ({@link FleetSetup}: operator, cars, enrolled
 * devices, the discovery document), the update key registered and the rollout run by the backend's rollout API
 * ({@link ApiRollouts}); a car "in an active rental" is booked by a borrower of its own for the next hours (the
 * backend defers it) and driven.
 */
public final class BackendSetup implements FleetRollout.Setup {
    private final LatchkeyClient api;
    private final FleetSetup.Result world;
    private final Map<String, String> carOf = new HashMap<>();
    private final AtomicInteger nextBorrower = new AtomicInteger();
    private final ApiRollouts rollouts;

    public BackendSetup(LatchkeyClient api, String adminUser, String adminPassword, int cars, int rentals, PrintStream out) {
        this.api = api;
        this.world = new FleetSetup(api, Clock.systemUTC(), out).run(adminUser, adminPassword, "rollout", cars, rentals);
        for (CarDetail c : world.cars()) {
            carOf.put(c.deviceId(), c.id());
        }
        Session operator = world.operator();
        this.rollouts = new ApiRollouts(api.baseUrl(), world.tenant(), operator::token);
    }

    @Override
    public String tenant() {
        return world.tenant();
    }

    @Override
    public void updateKey(String keyId, String publicKey) throws Exception {
        rollouts.registerUpdateKey(keyId, publicKey);
    }

    @Override
    public List<AgentConfig> configs(Path agentsDir) {
        List<AgentConfig> configs = new ArrayList<>();
        for (CarDetail c : world.cars()) {
            configs.add(AgentConfigs.fromDiscovery(world.discovery(), world.device(c), agentsDir, Duration.ofSeconds(5),
                    Duration.ofSeconds(60)));
        }
        return configs;
    }

    @Override
    public String carId(String deviceId) {
        return carOf.get(deviceId);
    }

    @Override
    public void rent(String deviceId) {
        Session borrower = world.borrowers().get(nextBorrower.getAndIncrement());
        Instant start = Instant.now().plusSeconds(60);
        api.book(borrower.token(), world.tenant(), carOf.get(deviceId), start, start.plus(Duration.ofHours(3)));
    }

    @Override
    public RolloutControl control() {
        return rollouts;
    }
}
