package io.latchkey.cloud.fleet;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import io.latchkey.cloud.live.LiveEvent;
import io.latchkey.cloud.live.LiveFeed;
import io.latchkey.cloud.mqtt.BackendMqttClient;
import io.latchkey.protocol.Json;
import io.latchkey.protocol.Topic;
import io.micronaut.context.annotation.Requires;
import io.micronaut.runtime.event.annotation.EventListener;
import io.micronaut.runtime.server.event.ServerStartupEvent;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The live feed across replicas: with an external broker (several replicas split the cars' messages by shared
 * subscriptions), every change this replica publishes on its {@link LiveFeed} goes to the others over the broker,
 * and theirs come in here, so that a fleet stream on any replica shows the whole fleet.
 *
 * <p>Changes are batched: every {@link #BATCH_MS} ms one QoS 0 message {@code {"events":[{"t":tenant,"c":carId,
 * "y":type,"d":json}]}} on {@code lk/_live/{origin}}, where {@code origin} is random per process; every replica
 * subscribes to {@code lk/_live/+} (not shared, "no local": the broker does not echo its own) and skips its own
 * should a broker echo them. {@code latchkey.live.relay=false} turns it off (one replica on an external broker). Only the backend's identity may use {@code lk/_}
 * topics (broker ACL, {@code TopicPolicy}). The relay is best effort like the stream itself: what a broker outage
 * loses, a client gets back by refetching the fleet view (the store holds every change); a backlog beyond
 * {@link #MAX_QUEUE} events is dropped and counted. It starts with the HTTP server (the streams' server), so tools
 * that start the backend's components without it ({@code broker-export}) do not relay.
 */
@Singleton
@Requires(property = "latchkey.mqtt.embedded", value = "false")
@Requires(property = "latchkey.live.relay", notEquals = "false")
public class LiveRelay implements AutoCloseable {
    static final String TOPIC = Topic.ROOT + "/_live/";
    static final long BATCH_MS = 100;
    static final int MAX_QUEUE = 100_000;
    private static final int MAX_BATCH = 1_000;
    private static final Logger LOG = LoggerFactory.getLogger(LiveRelay.class);

    private final LiveFeed live;
    private final BackendMqttClient mqtt;
    private final String origin;
    private final ConcurrentLinkedQueue<LiveEvent> queue = new ConcurrentLinkedQueue<>();
    private final AtomicInteger queued = new AtomicInteger();
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicLong received = new AtomicLong();
    private final ScheduledExecutorService flusher = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "lk-live-relay");
        t.setDaemon(true);
        return t;
    });

    public LiveRelay(LiveFeed live, BackendMqttClient mqtt, SecureRandom random) {
        this.live = live;
        this.mqtt = mqtt;
        byte[] id = new byte[8];
        random.nextBytes(id);
        this.origin = HexFormat.of().formatHex(id);
    }

    @EventListener
    void start(ServerStartupEvent started) {
        mqtt.subscribeToReplicas(TOPIC + "+", this::receive).join();
        live.relayTo(this::offer);
        flusher.scheduleWithFixedDelay(this::flush, BATCH_MS, BATCH_MS, TimeUnit.MILLISECONDS);
        LOG.info("Live feed relayed to and from the other replicas over {}+ (this replica: {})", TOPIC, origin);
    }

    private void offer(LiveEvent event) {
        if (queued.incrementAndGet() > MAX_QUEUE) {
            queued.decrementAndGet();
            if (dropped.incrementAndGet() % 10_000 == 1) {
                LOG.warn("Live relay backlog full ({} events): {} change(s) not relayed so far", MAX_QUEUE, dropped.get());
            }
            return;
        }
        queue.add(event);
    }

    void flush() {
        try {
            while (!queue.isEmpty()) {
                ObjectNode batch = Json.mapper().createObjectNode();
                ArrayNode events = batch.putArray("events");
                LiveEvent e;
                while (events.size() < MAX_BATCH && (e = queue.poll()) != null) {
                    queued.decrementAndGet();
                    events.addObject().put("t", e.tenant()).put("c", e.carId()).put("y", e.type()).put("d", e.json());
                }
                mqtt.publishToReplicas(TOPIC + origin, Json.write(batch)).exceptionally(x -> {
                    dropped.addAndGet(events.size());
                    return null;
                });
            }
        } catch (RuntimeException x) {
            LOG.warn("Live relay flush failed: {}", x.toString());
        }
    }

    void receive(Mqtt5Publish message) {
        try {
            if (message.getTopic().toString().equals(TOPIC + origin)) {
                return;
            }
            JsonNode events = Json.mapper().readTree(message.getPayloadAsBytes()).path("events");
            for (JsonNode e : events) {
                try {
                    live.publishRemote(e.path("t").asText(), e.path("c").asText(), e.path("y").asText(), e.path("d").asText());
                    received.incrementAndGet();
                } catch (IllegalArgumentException x) {
                    LOG.warn("Live relay: a change from {} refused ({})", message.getTopic(), x.getMessage());
                }
            }
        } catch (java.io.IOException | RuntimeException x) {
            LOG.warn("Live relay: unreadable message on {} ({})", message.getTopic(), x.toString());
        } finally {
            message.acknowledge();
        }
    }

    /** Changes from other replicas published here, and changes of this one not relayed (for tests and metrics). */
    public long received() {
        return received.get();
    }

    public long dropped() {
        return dropped.get();
    }

    @PreDestroy
    @Override
    public void close() {
        live.relayTo(null);
        flusher.shutdown();
        flush();
    }
}
