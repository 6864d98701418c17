package io.latchkey.cloud.mqtt;

import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import io.latchkey.protocol.Channel;
import io.latchkey.protocol.Topic;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * The backend's second MQTT connection, for the command path alone: commands out to the cars, their answers in.
 * Its client id is the backend's with {@value #SUFFIX} appended (one more session per replica at the broker).
 *
 * <p>Why a connection of its own: the backend acknowledges a car's telemetry to the broker only once it is stored
 * (an fsync, or a blob append), so the ingestion connection nearly always has QoS 1 messages in flight. A broker
 * does not have to interleave a new message with those: HiveMQ CE, for one, polls a client's queue for new messages
 * only when the queue was empty or the client's in-flight count has fallen to zero, so a car's answer waited at the
 * broker until the telemetry in flight before it was stored (measured from a loopback capture of the unlock
 * benchmark: 2.9 ms median in the broker for answers, 0.2 ms for the reference pair's messages in the same seconds;
 * docs/benchmarks-fleet.md). On this connection the only messages in flight are answers, each verified and
 * acknowledged in well under a millisecond, and the commands published here do not queue behind the receipts and
 * key sets the ingestion connection publishes. Everything else ({@link BackendMqttClient}) is unchanged: the same
 * session handling, liveness probe and reconnection, as this is a second instance of it.
 */
@Singleton
public class CommandMqttClient {
    /** Appended to {@code latchkey.mqtt.client-id}: this connection's client id. */
    public static final String SUFFIX = "-cmd";

    private final BackendMqttClient connection;

    public CommandMqttClient(MqttEndpoint endpoint, MqttConfig config, BrokerTrust authorities) {
        this.connection = new BackendMqttClient(endpoint, config, authorities, config.clientId() + SUFFIX);
    }

    /**
     * Publishes a signed command at QoS 1 if connected; fails at once otherwise ({@link BackendMqttClient#publish}).
     *
     * @param expiry how long the broker may hold it for a car that is offline
     */
    public CompletableFuture<Void> publish(Topic topic, byte[] payload, Duration expiry) {
        if (topic.channel() != Channel.CMD) {
            throw new IllegalArgumentException("the command connection publishes commands only, not " + topic);
        }
        return connection.publish(topic, payload, expiry);
    }

    /** Subscribes at QoS 1 to the cars' answers; {@code handler} must call {@link Mqtt5Publish#acknowledge()}. */
    public CompletableFuture<Void> subscribeToAnswers(Consumer<Mqtt5Publish> handler) {
        return connection.subscribe(Topic.allDevices(Channel.ACK), handler);
    }

    /** How often this connection's session was renewed since start (for tests and metrics). */
    public long sessionRenewals() {
        return connection.sessionRenewals();
    }

    @PreDestroy
    void disconnect() {
        connection.disconnect();
    }
}
