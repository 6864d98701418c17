package io.latchkey.cloud.it;

import static io.latchkey.cloud.it.CloudApp.expect;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.latchkey.cloud.mqtt.BackendMqttClient;
import io.latchkey.cloud.mqtt.BackendMqttClientAccess;
import io.latchkey.protocol.LockState;
import io.latchkey.protocol.telemetry.TelemetryRecord;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A broker session that stops delivering while the connection looks fine (seen after a broker
 * SIGKILL) is found by the backend's liveness probe and replaced: telemetry is stored again, nothing
 * else to do for anyone. Here the session is broken on purpose: its subscriptions are dropped at the
 * broker behind the backend's back.
 */
class BrokerSessionRepairIT {
    @TempDir
    Path dataDir;

    @Test
    void aSessionThatStoppedDelivering_isRenewed_andIngestionResumes() throws Exception {
        try (Running running = Running.start(dataDir)) {
            CloudApp app = running.app();
            String operator = running.operator();
            BackendMqttClient mqtt = running.mqtt();
            TestDevice device = running.device();
            device.publishTelemetry(record(1));
            await().atMost(Duration.ofSeconds(10)).until(() -> device.receipts().size() == 1);
            assertThat(mqtt.sessionRenewals()).isZero();

            BackendMqttClientAccess.loseSubscriptionsAtTheBroker(mqtt);
            // The session delivers nothing now; the probe notices and the session is replaced.
            await().atMost(Duration.ofSeconds(20)).until(() -> mqtt.sessionRenewals() >= 1);

            await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
                device.publishTelemetry(record(2));
                assertThat(device.receipts()).anyMatch(r -> r.lastSeq() == 2);
            });
            JsonNode stored = expect(200, app.http.get("/t/acme/cars/car-1/telemetry?limit=10", operator)).json();
            assertThat(stored.findValuesAsText("seq")).containsExactly("1", "2");
        }
    }

    /**
     * A session that delivers, only behind a backlog that holds the probe (here: the probe's subscription gone, so no
     * probe ever comes back), is kept: a fresh session would drop the backlog and add a reconnect. Once nothing at all
     * arrives any more, it is renewed.
     */
    @Test
    void aSessionThatDeliversWhileTheProbeDoesNotComeBack_isKept_untilNothingArrives() throws Exception {
        try (Running running = Running.start(dataDir)) {
            BackendMqttClient mqtt = running.mqtt();
            TestDevice device = running.device();
            BackendMqttClientAccess.loseProbeSubscriptionAtTheBroker(mqtt);
            // 3 s = ten probe intervals, three times the window: telemetry arrives every 200 ms meanwhile
            for (long seq = 1; seq <= 15; seq++) {
                device.publishTelemetry(record(seq));
                Thread.sleep(200);
            }
            long last = 15;
            await().atMost(Duration.ofSeconds(10)).until(() -> device.receipts().stream().anyMatch(r -> r.lastSeq() == last));
            assertThat(mqtt.sessionRenewals()).as("delivering, so kept").isZero();

            // nothing arrives any more: the session is renewed
            await().atMost(Duration.ofSeconds(10)).until(() -> mqtt.sessionRenewals() >= 1);
        }
    }

    /**
     * A session whose messages this process still holds unacknowledged is kept although nothing arrives (with a
     * slow store the broker's in-flight window is full of them, so nothing can arrive, the probe included): a fresh
     * session would drop them. Once they are acknowledged and still nothing arrives, it is renewed.
     */
    @Test
    void aSessionWhoseMessagesWaitForThisProcess_isKept_untilTheyAreAcknowledged() throws Exception {
        try (Running running = Running.start(dataDir)) {
            BackendMqttClient mqtt = running.mqtt();
            java.util.List<com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish> held =
                    new java.util.concurrent.CopyOnWriteArrayList<>();
            io.latchkey.protocol.Topic topic = io.latchkey.protocol.Topic.of("acme", "dev-009", io.latchkey.protocol.Channel.RECEIPT);
            mqtt.subscribe(topic.toString(), held::add).join();
            BackendMqttClientAccess.loseProbeSubscriptionAtTheBroker(mqtt);
            mqtt.publish(topic, "{}".getBytes(java.nio.charset.StandardCharsets.UTF_8), null).join();
            await().atMost(Duration.ofSeconds(10)).until(() -> held.size() == 1);

            // 3 s = ten probe intervals, three times the window, with nothing arriving: kept while the message waits
            Thread.sleep(3_000);
            assertThat(mqtt.sessionRenewals()).as("the window waits for us, so kept").isZero();

            held.get(0).acknowledge();
            await().atMost(Duration.ofSeconds(10)).until(() -> mqtt.sessionRenewals() >= 1);
        }
    }

    /** The backend with a probe every 300 ms, one car, and its device connected. */
    private record Running(CloudApp app, String operator, BackendMqttClient mqtt, TestDevice device) implements AutoCloseable {
        static Running start(Path dataDir) throws Exception {
            CloudApp app = CloudApp.start(dataDir, Map.of("latchkey.mqtt.probe-interval", "300ms"));
            String admin = app.tenantWithAdmin("acme");
            String operator = app.user("acme", admin, "olga@acme.test", "operator");
            app.car("acme", operator, "car-1", "dev-001");
            JsonNode discovery = expect(200, app.http.get("/t/acme/.well-known/latchkey-device", null)).json();
            TestDevice device = new TestDevice(app, "acme", "dev-001", TestDevice.keys(discovery), Clock.systemUTC());
            return new Running(app, operator, app.context().getBean(BackendMqttClient.class), device);
        }

        @Override
        public void close() throws Exception {
            try {
                device.close();
            } finally {
                app.close();
            }
        }
    }

    private static TelemetryRecord record(long seq) {
        return new TelemetryRecord(seq, Instant.now(), 52.5, 13.4, 0.0, 1000.0 + seq, LockState.LOCKED, false, false, 3,
                Map.of(), "PERIODIC");
    }
}
