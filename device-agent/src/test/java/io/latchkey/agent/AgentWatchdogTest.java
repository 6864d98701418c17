package io.latchkey.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.latchkey.agent.command.InMemoryCommandHistory;
import io.latchkey.agent.config.AgentConfig;
import io.latchkey.agent.status.SystemdWatchdog;
import io.latchkey.agent.telemetry.InMemorySequenceCounter;
import io.latchkey.hal.gnss.FixedGnss;
import io.latchkey.hal.lock.SimulatedCentralLocking;
import io.latchkey.hal.vehicle.MutableVehicleSignals;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** systemd's watchdog on a whole agent (docs/ota.md §8): pings from its scheduler, READY once connected, none while stuck. */
class AgentWatchdogTest {
    private static final java.security.KeyPair DEVICE_KEY = TestDeviceKey.generate();
    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-23T17:00:00Z"));
    private final TestCloud cloud = new TestCloud("acme", clock);
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
    private final List<String> notified = new CopyOnWriteArrayList<>();
    private FakeBrokerConnection broker;
    private Agent agent;

    @TempDir
    Path dir;

    @AfterEach
    void close() {
        if (agent != null) {
            agent.close();
        }
        scheduler.shutdownNow();
    }

    private Agent agent() {
        AgentConfig config = AgentConfig.builder().tenant("acme").deviceId("dev-1").mqttUrl("tcp://127.0.0.1:1")
                .commandKey(TestCloud.KEY_ID, cloud.publicKeyBase64()).deviceKey(DEVICE_KEY.getPrivate()).dataDir(dir).build();
        return Agent.builder(config)
                .doorLocks(new SimulatedCentralLocking(true, () -> false).doorLocks(Duration.ZERO))
                .gnss(new FixedGnss(52.5, 13.4, clock))
                .vehicleSignals(new MutableVehicleSignals())
                .clock(clock)
                .scheduler(scheduler)
                .commandHistory(new InMemoryCommandHistory(10, "dev-1", clock))
                .sequenceCounter(new InMemorySequenceCounter())
                .brokerConnection(will -> broker = new FakeBrokerConnection(will, cloud))
                .build();
    }

    private long pings() {
        return notified.stream().filter("WATCHDOG=1"::equals).count();
    }

    @Test
    void pingsWhileHealthy_readyOnceConnected_andAStuckSchedulerOrConnectionLoopStopsThePings() throws Exception {
        agent = agent();
        agent.start();
        SystemdWatchdog w = agent.watchdog(new SystemdWatchdog.Settings(Duration.ofMillis(50)), a -> notified.add(String.join(" ", a)));
        await().atMost(Duration.ofSeconds(5)).until(() -> pings() >= 3);
        assertThat(notified).as("not ready before it connects").noneMatch(n -> n.startsWith("READY=1"));

        broker.connect();
        broker.disconnect();
        broker.connect();
        await().atMost(Duration.ofSeconds(5)).until(() -> notified.stream().anyMatch(n -> n.startsWith("READY=1")));
        Thread.sleep(200);
        assertThat(notified.stream().filter(n -> n.startsWith("READY=1"))).as("once").hasSize(1);

        // the agent's scheduler stuck behind a task: no tick runs, no ping
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch stuck = new CountDownLatch(1);
        scheduler.execute(() -> {
            stuck.countDown();
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        stuck.await();
        long before = pings();
        Thread.sleep(400);
        assertThat(pings()).as("no ping while the scheduler is stuck").isEqualTo(before);
        release.countDown();
        await().atMost(Duration.ofSeconds(5)).until(() -> pings() >= before + 3);

        // the MQTT connection's loop stops answering its probe: the ticks run, the pings stop
        CompletableFuture<Void> never = new CompletableFuture<>();
        broker.probe = () -> never;
        Thread.sleep(200); // at most one more ping: the tick that issued the first stalled probe
        long stalled = pings();
        Thread.sleep(400);
        assertThat(pings()).as("no ping while the connection's loop is stuck").isEqualTo(stalled);
        assertThat(broker.isConnected()).as("still connected: being connected is not being alive").isTrue();

        broker.probe = () -> CompletableFuture.completedFuture(null);
        never.complete(null);
        await().atMost(Duration.ofSeconds(5)).until(() -> pings() >= stalled + 3);
        assertThat(w.pings()).isEqualTo(pings());
    }

    @Test
    void anOfflineCar_isHealthy() throws Exception {
        agent = agent();
        agent.start(); // the broker never answers
        agent.watchdog(new SystemdWatchdog.Settings(Duration.ofMillis(50)), a -> notified.add(String.join(" ", a)));
        await().atMost(Duration.ofSeconds(5)).until(() -> pings() >= 5);
        assertThat(agent.isConnected()).isFalse();
        assertThat(notified).noneMatch(n -> n.startsWith("READY=1"));
    }
}
