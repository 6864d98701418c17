package io.latchkey.cloud.mqtt;

import com.hivemq.client.mqtt.mqtt5.datatypes.Mqtt5UserProperty;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import io.latchkey.protocol.Topic;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.context.annotation.Requires;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Car-sticky ingestion across replicas on an external broker. The broker's shared subscription hands a car's
 * consecutive messages to the replicas in turn (Mosquitto: round robin), so each would find the car's telemetry
 * stream, state and trip progress written by the other since its last batch and pay refused writes and re-reads.
 * Here each car has an owner ({@link ReplicaMembership#ownerOf}), and a replica that receives a message of a car
 * another live replica owns forwards it there ({@link #forward}) on {@code lk/_ingest/{owner}}, QoS 1, with the
 * device topic in the user property {@value #DEVICE_TOPIC}; the original is acknowledged once the broker took the
 * forward (the owner's session holds it, also while the owner restarts). A forwarded message is processed by its
 * receiver whatever its own view, so nothing goes back and forth.
 *
 * <p>Membership: a QoS 0 heartbeat on {@code lk/_replicas/{id}} every {@link ReplicaMembership#HEARTBEAT_EVERY}; the
 * id is the replica's MQTT client id ({@code latchkey.mqtt.client-id}), which a restarted replica keeps. Only the
 * backend's identity may use {@code lk/_} topics (broker ACL, {@code TopicPolicy}), which is why a forwarded message
 * is trusted as the device topic it names. {@code latchkey.mqtt.sticky-ingestion=false} turns it off; with the
 * embedded broker (one replica) it does not exist.
 */
@Singleton
@Requires(property = "latchkey.mqtt.embedded", value = "false")
@Requires(property = "latchkey.mqtt.sticky-ingestion", notEquals = "false")
public class StickyIngestion {
    static final String HEARTBEATS = Topic.ROOT + "/_replicas/";
    static final String FORWARDS = Topic.ROOT + "/_ingest/";
    /** The user property of a forward that names the device topic it came in on. */
    static final String DEVICE_TOPIC = "lk-topic";
    private static final Logger LOG = LoggerFactory.getLogger(StickyIngestion.class);

    private final BackendMqttClient mqtt;
    private final ReplicaMembership membership;
    private final ScheduledExecutorService heartbeats = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "lk-replica-heartbeat");
        t.setDaemon(true);
        return t;
    });
    private volatile List<String> lastView = List.of();

    public StickyIngestion(BackendMqttClient mqtt, MqttConfig config, MeterRegistry registry) {
        this.mqtt = mqtt;
        // the process's own time, not the application clock (which tests may move): heartbeats are real-time
        this.membership = new ReplicaMembership(config.clientId(), Clock.systemUTC());
        Gauge.builder("latchkey.ingestion.replicas.live", membership, m -> m.live().size())
                .description("Backend replicas this one hears (itself included), among which cars are owned").register(registry);
    }

    /**
     * Subscribes to this replica's forwards ({@code handler} acknowledges each) and to the heartbeats, and starts
     * announcing this replica.
     */
    CompletableFuture<Void> start(Consumer<Mqtt5Publish> forwards) {
        CompletableFuture<Void> subscribed = CompletableFuture.allOf(
                mqtt.subscribe(FORWARDS + membership.self(), forwards),
                mqtt.subscribeToReplicas(HEARTBEATS + "+", this::heartbeat));
        long every = ReplicaMembership.HEARTBEAT_EVERY.toMillis();
        heartbeats.scheduleWithFixedDelay(this::announce, 0, every, TimeUnit.MILLISECONDS);
        LOG.info("Car-sticky ingestion: replica {} announces itself on {} and takes forwards on {}", membership.self(),
                HEARTBEATS + membership.self(), FORWARDS + membership.self());
        return subscribed;
    }

    /** The live replica that owns the car of {@code topic}, when it is not this one. */
    Optional<String> ownerElsewhere(Topic topic) {
        String owner = membership.ownerOf(topic.tenant(), topic.deviceId());
        return owner.equals(membership.self()) ? Optional.empty() : Optional.of(owner);
    }

    /** Hands {@code payload} of the device topic to {@code owner}; completes when the broker took it (PUBACK). */
    CompletableFuture<Void> forward(String owner, Topic topic, byte[] payload) {
        return mqtt.publishToReplica(FORWARDS + owner, payload, Map.of(DEVICE_TOPIC, topic.name()));
    }

    /** The device topic a forward carries; empty when it names none (then it is dropped). */
    static Optional<String> deviceTopic(Mqtt5Publish forward) {
        for (Mqtt5UserProperty p : forward.getUserProperties().asList()) {
            if (p.getName().toString().equals(DEVICE_TOPIC)) {
                return Optional.of(p.getValue().toString());
            }
        }
        return Optional.empty();
    }

    public ReplicaMembership membership() {
        return membership;
    }

    private void announce() {
        try {
            mqtt.publishToReplicas(HEARTBEATS + membership.self(), membership.self().getBytes(StandardCharsets.UTF_8))
                    .exceptionally(e -> null);
            List<String> view = membership.live();
            if (!view.equals(lastView)) {
                LOG.info("Live replicas (car-sticky ingestion): {}", view);
                lastView = view;
            }
        } catch (RuntimeException e) {
            LOG.warn("Replica heartbeat failed: {}", e.toString());
        }
    }

    private void heartbeat(Mqtt5Publish message) {
        try {
            String id = message.getTopic().toString().substring(HEARTBEATS.length());
            if (ReplicaMembership.isValidId(id)) {
                membership.heard(id);
            }
        } finally {
            message.acknowledge();
        }
    }

    @PreDestroy
    void stop() {
        heartbeats.shutdownNow();
    }
}
