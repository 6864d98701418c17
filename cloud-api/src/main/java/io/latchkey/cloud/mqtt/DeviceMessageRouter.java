package io.latchkey.cloud.mqtt;

import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import io.latchkey.protocol.Channel;
import io.latchkey.protocol.ProtocolException;
import io.latchkey.protocol.Topic;
import io.micronaut.context.annotation.Context;
import io.micronaut.core.annotation.Nullable;
import jakarta.annotation.PreDestroy;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Subscribes to the device channels and hands each message to its listeners on one of a few ingestion
 * threads, chosen by device so that one device's messages stay in order. Telemetry, state and events
 * use the shared subscription {@value #SHARE_GROUP}, so replicas split the load; acknowledgements use a
 * plain subscription on the command connection ({@link CommandMqttClient}), because the replica that sent a
 * command is the one waiting for its answer, and so that the broker does not hold an answer back behind telemetry
 * this backend has not acknowledged yet. Acknowledgements have a thread of their own: a borrower waits for each
 * one, and it must not queue behind telemetry batches being stored (one fsync each). A message is acknowledged to
 * the broker only after its listeners ran. Every answer comes once more on the ingestion connection (a plain
 * subscription too), and the answers no caller of this replica waits for (late ones; with replicas, half of them,
 * those of the commands another replica sent) are handled from that copy on the car's ingestion thread: they need
 * the store, and on the command connection they held up the answers behind them (a broker may deliver nothing new
 * to a connection while a message is unacknowledged: HiveMQ CE does so).
 *
 * <p>With several replicas on an external broker ({@link StickyIngestion}), a message of a car that another live
 * replica owns is forwarded there (everything of the car but acknowledgements, so that one car's messages are
 * stored by one replica in order) and acknowledged once the broker took the forward; a forward that fails, or
 * does not complete within {@link #FORWARD_TIMEOUT_MS} ms, is processed here. Forwards this replica receives are
 * processed here, whatever its view of the replicas.
 */
@Context
public class DeviceMessageRouter {
    public static final String SHARE_GROUP = "latchkey-cloud";
    private static final Logger LOG = LoggerFactory.getLogger(DeviceMessageRouter.class);
    /**
     * Ingestion threads. They spend most of their time waiting for fsyncs (each telemetry batch is one
     * group commit plus the car state) or for the shared store's round trips, not on the CPU, so there are
     * far more of them than cores: more batches in flight at once is what raises the rate. 16 bound one
     * replica on Azurite at ~14,500 records/s with neither it nor Azurite busy (16 batches in flight, each
     * 3 store round trips); 64 gave 21,760 (docs/benchmarks-scale.md, "Ingestion: batches in flight").
     */
    private static final int STRIPES = 64;
    /** A forward the broker has not acknowledged within this is processed here instead (the ledger drops a repeat). */
    static final long FORWARD_TIMEOUT_MS = 5_000;

    private final Map<Channel, List<DeviceMessageListener>> listeners = new EnumMap<>(Channel.class);
    private final ExecutorService[] stripes = new ExecutorService[STRIPES];
    private final ExecutorService acks = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "lk-ingest-ack");
        t.setDaemon(true);
        return t;
    });
    private final IngestionCounters counters;
    private final StickyIngestion sticky;

    public DeviceMessageRouter(BackendMqttClient client, CommandMqttClient commands, List<DeviceMessageListener> all,
                               IngestionCounters counters, @Nullable StickyIngestion sticky) {
        this.counters = counters;
        this.sticky = sticky;
        for (int i = 0; i < STRIPES; i++) {
            int n = i;
            stripes[i] = Executors.newSingleThreadExecutor(r -> {
                Thread t = new Thread(r, "lk-ingest-" + n);
                t.setDaemon(true);
                return t;
            });
        }
        for (Channel channel : List.of(Channel.ACK, Channel.TELEMETRY, Channel.STATE, Channel.EVENT, Channel.CSR, Channel.OTA_STATUS)) {
            listeners.put(channel, all.stream().filter(l -> l.channels().contains(channel)).toList());
        }
        CompletableFuture.allOf(
                commands.subscribeToAnswers(this::dispatch),
                // every answer once more, on the ingestion connection: the ones no caller here waits for are handled
                // from this copy (they need the store), so that the command connection never waits on the store
                client.subscribe(Topic.allDevices(Channel.ACK), this::dispatchAnswerCopy),
                client.subscribe(shared(Channel.TELEMETRY), this::dispatch),
                client.subscribe(shared(Channel.STATE), this::dispatch),
                client.subscribe(shared(Channel.EVENT), this::dispatch),
                client.subscribe(shared(Channel.CSR), this::dispatch),
                client.subscribe(shared(Channel.OTA_STATUS), this::dispatch),
                sticky == null ? CompletableFuture.completedFuture(null) : sticky.start(this::dispatchForwarded)).join();
        LOG.info("Subscribed to device channels (shared group {}{})", SHARE_GROUP, sticky == null ? "" : ", car-sticky");
    }

    static String shared(Channel channel) {
        return "$share/" + SHARE_GROUP + "/" + Topic.allDevices(channel);
    }

    private void dispatch(Mqtt5Publish message) {
        counters.received();
        Topic topic;
        try {
            topic = Topic.parse(message.getTopic().toString());
        } catch (ProtocolException e) {
            counters.dropped();
            message.acknowledge();
            return;
        }
        byte[] payload = message.getPayloadAsBytes();
        if (sticky != null && topic.channel() != Channel.ACK) {
            Optional<String> owner = sticky.ownerElsewhere(topic);
            if (owner.isPresent()) {
                sticky.forward(owner.get(), topic, payload).orTimeout(FORWARD_TIMEOUT_MS, TimeUnit.MILLISECONDS)
                        .whenComplete((ok, e) -> {
                            if (e == null) {
                                counters.forwarded();
                                message.acknowledge();
                            } else {
                                counters.forwardFailed();
                                LOG.debug("forward of {} to {} failed, processed here: {}", topic, owner.get(), e.toString());
                                process(message, topic, payload);
                            }
                        });
                return;
            }
        }
        process(message, topic, payload);
    }

    /** The ingestion connection's copy of a car's answer ({@link DeviceMessageListener#onAnswerCopy}). */
    private void dispatchAnswerCopy(Mqtt5Publish message) {
        Topic topic;
        try {
            topic = Topic.parse(message.getTopic().toString());
        } catch (ProtocolException e) {
            message.acknowledge();
            return;
        }
        if (topic.channel() != Channel.ACK) {
            message.acknowledge();
            return;
        }
        byte[] payload = message.getPayloadAsBytes();
        try {
            stripeOf(topic).execute(() -> {
                try {
                    for (DeviceMessageListener listener : listeners.getOrDefault(Channel.ACK, List.of())) {
                        try {
                            listener.onAnswerCopy(topic, payload);
                        } catch (RuntimeException e) {
                            counters.dropped(); // counted here, once: the command connection's copy is not
                            LOG.debug("dropped an answer on {}: {}", topic, e.toString());
                        }
                    }
                } finally {
                    message.acknowledge();
                }
            });
        } catch (java.util.concurrent.RejectedExecutionException e) {
            // shutting down: left unacknowledged, the broker delivers it again
        }
    }

    /** A message another replica forwarded here: processed here, never forwarded again. */
    private void dispatchForwarded(Mqtt5Publish message) {
        Topic topic;
        try {
            topic = Topic.parse(StickyIngestion.deviceTopic(message).orElseThrow(
                    () -> new ProtocolException("a forward without its device topic")));
        } catch (ProtocolException e) {
            counters.dropped();
            message.acknowledge();
            return;
        }
        if (topic.channel() == Channel.ACK || !topic.channel().fromCar()) {
            counters.dropped();
            message.acknowledge();
            return;
        }
        counters.forwardReceived();
        process(message, topic, message.getPayloadAsBytes());
    }

    /** Hands the message to its listeners on the car's ingestion thread; acknowledges it when they ran. */
    private void process(Mqtt5Publish message, Topic topic, byte[] payload) {
        ExecutorService executor = topic.channel() == Channel.ACK ? acks : stripeOf(topic);
        try {
            executor.execute(() -> {
                try {
                    for (DeviceMessageListener listener : listeners.getOrDefault(topic.channel(), List.of())) {
                        deliver(listener, topic, payload);
                    }
                } finally {
                    message.acknowledge();
                }
            });
        } catch (java.util.concurrent.RejectedExecutionException e) {
            // shutting down: left unacknowledged, the broker delivers it again
        }
    }

    private ExecutorService stripeOf(Topic topic) {
        return stripes[Math.floorMod((topic.tenant() + "/" + topic.deviceId()).hashCode(), STRIPES)];
    }

    private void deliver(DeviceMessageListener listener, Topic topic, byte[] payload) {
        try {
            listener.onMessage(topic, payload);
        } catch (RuntimeException e) {
            counters.dropped();
            LOG.debug("dropped a message on {}: {}", topic, e.toString());
        }
    }

    @PreDestroy
    void stop() {
        List<ExecutorService> all = new java.util.ArrayList<>(List.of(stripes));
        all.add(acks);
        for (ExecutorService stripe : all) {
            stripe.shutdown();
        }
        for (ExecutorService stripe : all) {
            try {
                stripe.awaitTermination(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
