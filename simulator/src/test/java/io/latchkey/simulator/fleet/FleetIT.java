package io.latchkey.simulator.fleet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.latchkey.agent.config.AgentConfig;
import io.latchkey.hal.can.obd.ObdPid;
import io.latchkey.protocol.Keys;
import io.latchkey.simulator.car.CarFactory;
import io.latchkey.simulator.car.CarProfiles;
import io.latchkey.simulator.car.Powertrain;
import io.latchkey.simulator.route.GeoPoint;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Many agents in one JVM share a fixed set of threads: the fleet costs sockets, not threads. Each agent
 * polls its car's fuel level over OBD-II on the simulated bus, on those same threads.
 */
class FleetIT {
    private static final java.security.PrivateKey DEVICE_KEY = newDeviceKey();

    private static java.security.PrivateKey newDeviceKey() {
        try {
            java.security.KeyPairGenerator g = java.security.KeyPairGenerator.getInstance("EC");
            g.initialize(new java.security.spec.ECGenParameterSpec("secp256r1"));
            return g.generateKeyPair().getPrivate();
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static final int CARS = 200;

    @TempDir
    Path brokerDir;

    @TempDir
    Path agentsDir;

    private final CarFactory cars = new CarFactory(new CarProfiles(), new GeoPoint(52.52, 13.405), 1_500, Clock.systemUTC(),
            Duration.ZERO, 6);

    @Test
    void twoHundredAgents_connect_andShareAFixedNumberOfThreads() throws Exception {
        String key = Keys.encodePublic(Keys.newCommandKeyPair().getPublic());
        SplittableRandom random = new SplittableRandom(6);
        try (EmbeddedBroker broker = new EmbeddedBroker(brokerDir);
             Fleet fleet = new Fleet(Fleet.Options.defaults())) {
            add(fleet, broker, key, random, 0, 10);
            assertThat(fleet.awaitConnected(Duration.ofSeconds(30))).isTrue();
            int threadsWithTen = ManagementFactory.getThreadMXBean().getThreadCount();

            long start = System.nanoTime();
            add(fleet, broker, key, random, 10, CARS);
            assertThat(fleet.awaitConnected(Duration.ofSeconds(60))).isTrue();
            long connectMs = (System.nanoTime() - start) / 1_000_000;
            int threadsWithAll = ManagementFactory.getThreadMXBean().getThreadCount();

            System.out.printf("fleet: %d agents connected in %d ms; JVM threads with 10 agents %d, with %d agents %d%n",
                    CARS, connectMs, threadsWithTen, CARS, threadsWithAll);
            assertThat(fleet.agents()).allMatch(a -> a.isConnected());
            // The broker's own pools may grow a little with connections; the agents add none per car.
            assertThat(threadsWithAll - threadsWithTen).isLessThan(20);
            await().atMost(Duration.ofSeconds(10)).until(() -> fleet.deviceIds().stream()
                    .filter(id -> fleet.car(id).profile().powertrain() == Powertrain.COMBUSTION)
                    .allMatch(id -> fleet.agent(id).status().obd().responses() > 0));
        }
    }

    private void add(Fleet fleet, EmbeddedBroker broker, String key, SplittableRandom random, int from, int to) {
        for (int i = from; i < to; i++) {
            String deviceId = "car-" + i;
            AgentConfig config = AgentConfig.builder().tenant("fleet").deviceId(deviceId).mqttUrl(broker.url())
                    .commandKey("cmd-1", key).dataDir(agentsDir.resolve(deviceId)).deviceKey(DEVICE_KEY)
                    .obdPids(List.of(ObdPid.FUEL_LEVEL)).obdInterval(Duration.ofSeconds(1)).build();
            fleet.add(config, cars.create(deviceId, i));
        }
    }
}
