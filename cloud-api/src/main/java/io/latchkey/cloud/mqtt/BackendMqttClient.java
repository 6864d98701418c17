package io.latchkey.cloud.mqtt;

import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.lifecycle.MqttDisconnectSource;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5Client;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import io.latchkey.cloud.pki.PlatformCertificateAuthority;
import io.latchkey.cloud.pki.ServiceIdentity;
import io.latchkey.protocol.Topic;
import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.TrustManagerFactory;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The backend's MQTT 5 connection (HiveMQ client) for everything but the command path ({@link CommandMqttClient}
 * is a second one of these, with a client id of its own). Its session outlives a short disconnect, so QoS 1
 * messages published meanwhile are not lost. After a disconnect it reconnects promptly (backoff from
 * {@value #RECONNECT_INITIAL_MS} ms doubling to at most {@value #RECONNECT_MAX_MS} ms, not the client's
 * default of up to two minutes) and subscribes again even when the broker kept the session: a broker
 * that crashed may have lost the shared subscriptions, and the cars' telemetry waits for the backend.
 *
 * <p>Liveness probe: every {@code latchkey.mqtt.probe-interval} (10 s) the client publishes a probe to its own topic
 * {@code lk/_probe/{clientId}} and expects it back. A probe not back within three intervals, while
 * connected, means the session is not delivering (seen after a broker SIGKILL: connected, subscriptions granted,
 * nothing arrives), unless other messages (telemetry, answers) arrived within those intervals: then the session
 * delivers and the probe only waits behind a backlog (a slow store holds the acknowledgements, so the broker's
 * in-flight window for this session is full), and a fresh session would drop that backlog and add a reconnect
 * (10,000 cars on a saturated store, 2026-12-06: 13 renewals in 5 minutes). Nor is it renewed while this process
 * holds messages of it unacknowledged: the broker sends a session only as many unacknowledged messages as its
 * in-flight window allows (Mosquitto: 20), so with the store's requests slow the window is full of ours and
 * nothing, the probe included, can arrive (the same 10,000 cars after a broker restart: a renewal every 40 s for
 * five minutes, each dropping the window). The client then ends that session,
 * connects with a clean start and subscribes to everything again.
 */
@Singleton
public class BackendMqttClient {
    private static final Logger LOG = LoggerFactory.getLogger(BackendMqttClient.class);

    /** The backend's name in its service certificate ({@code urn:latchkey:service:latchkey-cloud}). */
    static final String SERVICE_NAME = "latchkey-cloud";
    private static final Duration SERVICE_VALIDITY = Duration.ofDays(365);
    static final long RECONNECT_INITIAL_MS = 250;
    static final long RECONNECT_MAX_MS = 2_000;

    private final Mqtt5AsyncClient client;
    private final MqttConfig config;
    private final String clientId;
    private final String probeTopic;
    private final List<Subscription> subscriptions = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final java.util.concurrent.ScheduledExecutorService probes;
    private final java.util.concurrent.atomic.AtomicBoolean renewing = new java.util.concurrent.atomic.AtomicBoolean();
    private final java.util.concurrent.atomic.AtomicLong renewals = new java.util.concurrent.atomic.AtomicLong();
    private volatile String probeOut;
    private volatile boolean probeBack = true;
    private volatile long probeSentAt;
    /** When any subscription of this session last delivered a message ({@link System#nanoTime()}). */
    private volatile long lastDelivery = System.nanoTime();
    /** Messages handed to a handler that acknowledges them itself and not acknowledged yet. */
    private final java.util.concurrent.atomic.AtomicInteger unacknowledged = new java.util.concurrent.atomic.AtomicInteger();
    /** When a handler last acknowledged a message ({@link System#nanoTime()}). */
    private volatile long lastAcknowledged = System.nanoTime();

    private record Subscription(String filter, Consumer<Mqtt5Publish> handler, boolean manualAck, boolean noLocal) {
        Subscription(String filter, Consumer<Mqtt5Publish> handler, boolean manualAck) {
            this(filter, handler, manualAck, false);
        }

        boolean matches(Mqtt5Publish p) {
            String f = filter.startsWith("$share/") ? filter.substring(filter.indexOf('/', "$share/".length()) + 1) : filter;
            return com.hivemq.client.mqtt.datatypes.MqttTopicFilter.of(f).matches(p.getTopic());
        }
    }

    /** Messages held for a subscription this process has not made yet: at most this many, then dropped (logged). */
    static final int MAX_EARLY = 100_000;
    /**
     * Messages the broker delivered from this client's stored session before this process subscribed again (a
     * restart, or a SIGKILL, with a persistent session: the broker sends what it queued while the replica was away
     * at once after CONNACK). Held unacknowledged and handed to the subscription when it is made; without this the
     * MQTT client would drop them, and telemetry queued for a killed replica would be lost.
     */
    private final List<Mqtt5Publish> early = new java.util.ArrayList<>();
    private final java.util.concurrent.atomic.AtomicLong earlyDropped = new java.util.concurrent.atomic.AtomicLong();

    @jakarta.inject.Inject
    public BackendMqttClient(MqttEndpoint endpoint, MqttConfig config, BrokerTrust authorities) {
        this(endpoint, config, authorities, config.clientId());
    }

    /** @param clientId this connection's MQTT client id (its session at the broker) */
    BackendMqttClient(MqttEndpoint endpoint, MqttConfig config, BrokerTrust authorities, String clientId) {
        String url = endpoint.backendUrl();
        URI uri = URI.create(url);
        this.config = config;
        this.clientId = clientId;
        this.probeTopic = Topic.ROOT + "/_probe/" + clientId;
        var builder = Mqtt5Client.builder()
                .identifier(clientId)
                .serverHost(uri.getHost())
                .serverPort(uri.getPort())
                .addConnectedListener(ctx -> LOG.info("Backend MQTT client connected to {}", url))
                .addDisconnectedListener(ctx -> {
                    if (ctx.getSource() == MqttDisconnectSource.USER) {
                        return;
                    }
                    int attempt = Math.max(1, ctx.getReconnector().getAttempts());
                    long delay = Math.min(RECONNECT_MAX_MS, RECONNECT_INITIAL_MS << Math.min(attempt - 1, 16));
                    LOG.warn("Backend MQTT client disconnected from {} ({}); reconnecting in {} ms", url,
                            ctx.getCause() == null ? "no cause" : ctx.getCause().getMessage(), delay);
                    ctx.getReconnector().reconnect(true).resubscribeIfSessionPresent(true)
                            .delay(delay, TimeUnit.MILLISECONDS);
                });
        if ("ssl".equals(uri.getScheme())) {
            // Mutual TLS with the backend's service identity, issued afresh at each start by the platform CA,
            // which also issued the broker's certificate (embedded, or the Mosquitto setup of docs/mosquitto).
            PlatformCertificateAuthority platform = authorities.platform();
            ServiceIdentity service = platform.issueService(SERVICE_NAME, SERVICE_VALIDITY);
            builder = builder.sslConfig()
                    .keyManagerFactory(service.tls().keyManagerFactory())
                    .trustManagerFactory(trusting(platform.certificate()))
                    .protocols(List.of("TLSv1.3", "TLSv1.2"))
                    .applySslConfig();
        }
        this.client = builder.buildAsync();
        client.publishes(com.hivemq.client.mqtt.MqttGlobalPublishFilter.REMAINING, this::unclaimed, true);
        try {
            client.connectWith().cleanStart(false).sessionExpiryInterval(Duration.ofHours(1).toSeconds())
                    .send().get(30, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            stopReconnecting();
            throw new MqttException("cannot connect to the MQTT broker at " + url, e);
        } catch (InterruptedException e) {
            stopReconnecting();
            Thread.currentThread().interrupt();
            throw new MqttException("interrupted while connecting to " + url, e);
        }
        LOG.info("Backend MQTT client {} connected to {}", clientId, url);
        subscribe(new Subscription(probeTopic, p -> {
            if (new String(p.getPayloadAsBytes(), java.nio.charset.StandardCharsets.UTF_8).equals(probeOut)) {
                probeBack = true;
            }
        }, false)).join();
        this.probes = java.util.concurrent.Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "lk-mqtt-probe");
            t.setDaemon(true);
            return t;
        });
        long every = Math.max(100, config.probeInterval().toMillis());
        probes.scheduleWithFixedDelay(this::probe, every, every, TimeUnit.MILLISECONDS);
    }

    /** Checks the last probe came back, then sends the next one. */
    void probe() {
        try {
            if (!client.getState().isConnected() || renewing.get()) {
                probeBack = true;
                return;
            }
            if (!probeBack) {
                // Under a deep backlog the probe queues behind telemetry (or expires there): allow it three intervals,
                // and renew only a session that delivered nothing at all in that time while this process held none
                // of its messages unacknowledged (then the broker's in-flight window is full of ours: the store is
                // slow, the session is fine). A count that never comes down (a handler that forgot to acknowledge)
                // blocks renewal for at most ten windows without any acknowledgement.
                long now = System.nanoTime();
                long window = 3 * config.probeInterval().toNanos();
                boolean ours = unacknowledged.get() > 0 && now - lastAcknowledged <= 10 * window;
                if (now - probeSentAt > window && now - lastDelivery > window && !ours) {
                    renewSession();
                } else if (now - probeSentAt > window) {
                    probeBack = true; // delivering, only slowly: the next probe is sent on the next tick
                }
                return;
            }
            String nonce = java.util.UUID.randomUUID().toString();
            probeOut = nonce;
            probeSentAt = System.nanoTime();
            probeBack = false;
            client.publishWith().topic(probeTopic).qos(MqttQos.AT_LEAST_ONCE)
                    .payload(nonce.getBytes(java.nio.charset.StandardCharsets.UTF_8))
                    .messageExpiryInterval(Math.max(1, config.probeInterval().toSeconds())).send();
        } catch (RuntimeException e) {
            LOG.warn("MQTT liveness probe failed: {}", e.toString());
        }
    }

    /** Ends the current broker session, connects with a clean start and subscribes to everything again. */
    void renewSession() {
        if (!renewing.compareAndSet(false, true)) {
            return;
        }
        LOG.warn("Backend MQTT session stopped delivering (liveness probe not back within {}); starting a fresh session",
                config.probeInterval());
        renewals.incrementAndGet();
        client.disconnectWith().sessionExpiryInterval(0).send()
                .handle((ok, e) -> null)
                .thenCompose(x -> client.connectWith().cleanStart(true)
                        .sessionExpiryInterval(Duration.ofHours(1).toSeconds()).send())
                .thenCompose(ack -> CompletableFuture.allOf(subscriptions.stream()
                        .map(this::send).toArray(CompletableFuture[]::new)))
                .whenComplete((ok, e) -> {
                    probeBack = true;
                    renewing.set(false);
                    if (e != null) {
                        LOG.warn("Backend MQTT session not renewed: {}", e.toString());
                    } else {
                        LOG.info("Backend MQTT session renewed, {} subscription(s) restored", subscriptions.size());
                    }
                });
    }

    /** How often the session was renewed since start (for tests and metrics). */
    public long sessionRenewals() {
        return renewals.get();
    }

    private static TrustManagerFactory trusting(X509Certificate ca) {
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            store.setCertificateEntry("platform-ca", ca);
            TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            factory.init(store);
            return factory;
        } catch (GeneralSecurityException | IOException e) {
            throw new MqttException("cannot build the trust store of the platform CA", e);
        }
    }

    /**
     * Publishes at the channel's QoS ({@link io.latchkey.protocol.Channel#qos()}) if connected; fails at once otherwise. The client would queue the message until
     * it reconnects, but the broker then counts the message expiry from that moment, so a command sent
     * into an outage could reach a car after its signed expiry (a car with a slow clock would run it).
     *
     * @param expiry how long the broker may hold it for an offline subscriber; null for no limit
     */
    public CompletableFuture<Void> publish(Topic topic, byte[] payload, Duration expiry) {
        return publish(topic, payload, expiry, false);
    }

    /**
     * Publishes at QoS 1, retained (the broker keeps the newest for whoever subscribes later, e.g. a car coming back
     * online), if connected; fails at once otherwise.
     */
    public CompletableFuture<Void> publishRetained(Topic topic, byte[] payload) {
        return publish(topic, payload, null, true);
    }

    /**
     * Publishes at QoS 0 to the other replicas of the backend, on a topic under {@code lk/_} that no device may use
     * (e.g. the live feed's relay), if connected; fails at once otherwise.
     */
    public CompletableFuture<Void> publishToReplicas(String topic, byte[] payload) {
        if (!topic.startsWith(Topic.ROOT + "/_")) {
            throw new IllegalArgumentException("not a topic between replicas: " + topic);
        }
        if (!client.getState().isConnected()) {
            return CompletableFuture.failedFuture(new MqttException("not connected to the MQTT broker; " + topic + " not sent", null));
        }
        return client.publishWith().topic(topic).qos(MqttQos.AT_MOST_ONCE).payload(payload).send().thenApply(r -> null);
    }

    /**
     * Publishes at QoS 1 to one other replica (a topic under {@code lk/_} it subscribes to), with MQTT 5 user
     * properties, if connected; completes when the broker acknowledged it (PUBACK), fails at once when not connected.
     */
    public CompletableFuture<Void> publishToReplica(String topic, byte[] payload, java.util.Map<String, String> properties) {
        if (!topic.startsWith(Topic.ROOT + "/_")) {
            throw new IllegalArgumentException("not a topic between replicas: " + topic);
        }
        if (!client.getState().isConnected()) {
            return CompletableFuture.failedFuture(new MqttException("not connected to the MQTT broker; " + topic + " not sent", null));
        }
        var user = com.hivemq.client.mqtt.mqtt5.datatypes.Mqtt5UserProperties.builder();
        properties.forEach(user::add);
        return client.publish(Mqtt5Publish.builder().topic(topic).qos(MqttQos.AT_LEAST_ONCE).payload(payload)
                .userProperties(user.build()).build()).thenApply(result -> {
                    if (result.getError().isPresent()) {
                        throw new MqttException("publish to " + topic + " failed", result.getError().get());
                    }
                    return null;
                });
    }

    private CompletableFuture<Void> publish(Topic topic, byte[] payload, Duration expiry, boolean retain) {
        if (!client.getState().isConnected()) {
            return CompletableFuture.failedFuture(new MqttException("not connected to the MQTT broker; " + topic
                    + " not sent", null));
        }
        var message = Mqtt5Publish.builder().topic(topic.name()).qos(topic.channel().qos() == 0 ? MqttQos.AT_MOST_ONCE : MqttQos.AT_LEAST_ONCE)
                .payload(payload).retain(retain);
        if (expiry != null) {
            message.messageExpiryInterval(Math.max(1, (expiry.toMillis() + 999) / 1000));
        }
        return client.publish(message.build()).thenApply(result -> {
            if (result.getError().isPresent()) {
                throw new MqttException("publish to " + topic + " failed", result.getError().get());
            }
            return null;
        });
    }

    /** Subscribes at QoS 1; {@code handler} must call {@link Mqtt5Publish#acknowledge()} when done. */
    public CompletableFuture<Void> subscribe(String filter, Consumer<Mqtt5Publish> handler) {
        return subscribe(new Subscription(filter, handler, true));
    }

    /**
     * Subscribes at QoS 1 to what the other replicas publish ({@link #publishToReplicas}): the broker does not send
     * this client its own publications back (MQTT 5 "no local"). {@code handler} must call {@link Mqtt5Publish#acknowledge()}.
     */
    public CompletableFuture<Void> subscribeToReplicas(String filter, Consumer<Mqtt5Publish> handler) {
        return subscribe(new Subscription(filter, handler, true, true));
    }

    private CompletableFuture<Void> subscribe(Subscription s) {
        subscriptions.add(s);
        List<Mqtt5Publish> held = new java.util.ArrayList<>();
        synchronized (early) {
            early.removeIf(p -> s.matches(p) && held.add(p));
        }
        if (!held.isEmpty()) {
            LOG.info("{} message(s) from the stored session handed to {}", held.size(), s.filter());
        }
        held.forEach(p -> deliver(s, p));
        return send(s);
    }

    /** A message no subscription's own callback took: one made in this process gets it, else it is held. */
    private void unclaimed(Mqtt5Publish p) {
        Subscription s = matching(p);
        if (s == null) {
            synchronized (early) {
                s = matching(p);
                if (s == null) {
                    if (early.size() < MAX_EARLY) {
                        early.add(p);
                    } else {
                        p.acknowledge();
                        if (earlyDropped.incrementAndGet() % 1000 == 1) {
                            LOG.warn("{} message(s) for topics this replica does not subscribe to dropped", earlyDropped.get());
                        }
                    }
                    return;
                }
            }
        }
        deliver(s, p);
    }

    private Subscription matching(Mqtt5Publish p) {
        for (Subscription s : subscriptions) {
            if (s.matches(p)) {
                return s;
            }
        }
        return null;
    }

    private void deliver(Subscription s, Mqtt5Publish p) {
        try {
            s.handler().accept(s.manualAck() ? tracked(p) : p);
        } finally {
            if (!s.manualAck()) {
                p.acknowledge();
            }
        }
    }

    private CompletableFuture<Void> send(Subscription s) {
        return client.subscribeWith().topicFilter(s.filter()).qos(MqttQos.AT_LEAST_ONCE).noLocal(s.noLocal())
                .callback(p -> {
                    lastDelivery = System.nanoTime();
                    s.handler().accept(s.manualAck() ? tracked(p) : p);
                }).manualAcknowledgement(s.manualAck())
                .send().thenApply(ack -> null);
    }

    /**
     * The message as its handler sees it: the same, except that its first {@code acknowledge()} is counted, so that the
     * probe can tell a session the broker stopped from one whose in-flight window waits for this process.
     */
    private Mqtt5Publish tracked(Mqtt5Publish p) {
        unacknowledged.incrementAndGet();
        java.util.concurrent.atomic.AtomicBoolean acknowledged = new java.util.concurrent.atomic.AtomicBoolean();
        return (Mqtt5Publish) java.lang.reflect.Proxy.newProxyInstance(Mqtt5Publish.class.getClassLoader(),
                new Class<?>[] {Mqtt5Publish.class}, (proxy, method, args) -> {
                    if (method.getName().equals("acknowledge") && method.getParameterCount() == 0
                            && acknowledged.compareAndSet(false, true)) {
                        unacknowledged.decrementAndGet();
                        lastAcknowledged = System.nanoTime();
                    }
                    try {
                        return method.invoke(p, args);
                    } catch (java.lang.reflect.InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }

    /** For tests: drops only the liveness probe's subscription at the broker, so that no probe comes back. */
    CompletableFuture<Void> loseProbeSubscriptionAtTheBroker() {
        return client.unsubscribeWith().topicFilter(probeTopic).send().thenApply(ack -> null);
    }

    /** For tests: drops this client's subscriptions at the broker behind its back, as a broken session would. */
    CompletableFuture<Void> loseSubscriptionsAtTheBroker() {
        return CompletableFuture.allOf(subscriptions.stream()
                .map(s -> client.unsubscribeWith().topicFilter(s.filter()).send())
                .toArray(CompletableFuture[]::new));
    }

    @PreDestroy
    void disconnect() {
        probes.shutdownNow();
        try {
            client.disconnect().get(5, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            LOG.debug("MQTT disconnect did not complete cleanly", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** A client that never connected stops its reconnect attempts (it is not used; they would go on for ever). */
    private void stopReconnecting() {
        try {
            client.disconnect().exceptionally(e -> null);
        } catch (RuntimeException e) {
            LOG.debug("stopping the reconnects of {}: {}", clientId, e.toString());
        }
    }
}
