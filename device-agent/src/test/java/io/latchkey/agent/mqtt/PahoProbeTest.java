package io.latchkey.agent.mqtt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.latchkey.agent.TestDeviceKey;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The systemd watchdog's probe of the Paho connection's loop (docs/ota.md §8): answered by the reconnect thread, failed once it is gone. */
class PahoProbeTest {
    private static PahoBrokerConnection offline() {
        var key = TestDeviceKey.generate();
        BrokerEndpoint endpoint = new BrokerEndpoint("acme", "dev-1", "127.0.0.1", 1, false, null, Duration.ofHours(1),
                new ConnectCredentials("acme", "dev-1", new io.latchkey.protocol.device.DeviceSigner(key.getPrivate()), Clock.systemUTC(),
                        new java.util.Random()));
        return new PahoBrokerConnection(endpoint, new byte[0], new ReconnectBackoff(Duration.ofMillis(100), Duration.ofSeconds(1), new java.util.Random()));
    }

    @Test
    void theProbeRunsOnTheConnectionsOwnThread_offlineToo_andFailsOnceTheConnectionIsClosed() throws Exception {
        PahoBrokerConnection connection = offline();
        CompletableFuture<Void> probe = connection.probe();
        probe.get(5, TimeUnit.SECONDS);
        assertThat(probe).isCompleted();

        connection.close().exceptionally(e -> null).get(10, TimeUnit.SECONDS);
        await().atMost(Duration.ofSeconds(10)).until(() -> connection.probe().isCompletedExceptionally());
    }
}
