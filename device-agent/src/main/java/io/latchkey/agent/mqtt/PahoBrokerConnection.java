package io.latchkey.agent.mqtt;

import io.latchkey.protocol.Channel;
import io.latchkey.protocol.Topic;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttActionListener;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttCallback;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.MqttDisconnectResponse;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.MqttSubscription;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The broker connection on the Eclipse Paho MQTT 5 async client ({@code org.eclipse.paho.mqttv5.client}):
 * one jar, no dependencies, a few plain threads per connection (Paho's receiver, sender, callback and
 * keep-alive threads, plus one timer thread here for reconnections). The agent's default on a Pi, where it is
 * lighter than the HiveMQ client (docs/benchmarks-agent.md); a simulated fleet of thousands keeps the
 * HiveMQ client, whose connections share one event loop.
 *
 * <p>The same contract as {@link HiveMqBrokerConnection}:
 * <ul>
 * <li>Session: persistent ({@code cleanStart=false}, the configured session expiry); {@link #renewSession()}
 *     connects once with a clean start. Non-retained publishes carry a message expiry equal to the session
 *     expiry, so that the broker does not keep for a sleeping subscriber what it would not keep for a session.</li>
 * <li>Identity: mutual TLS with the device key and certificate (the broker CAs of the bundle, host name
 *     verified), or on the plain listener the device's client id and a fresh signed connect token per attempt.</li>
 * <li>Reconnection: our own loop with the jittered {@link ReconnectBackoff} (not Paho's automatic reconnect,
 *     which does not retry a first connection that failed and builds the CONNECT once, where the token must be
 *     new every time). Every connection, first or not, subscribes in {@code connectComplete}, and the listener
 *     hears "connected" only once the broker has confirmed the subscriptions.</li>
 * <li>Persistence: {@link MemoryPersistence}, on purpose. Paho's default writes every in-flight message to
 *     files in the working directory; the agent already keeps what must survive a restart in its telemetry
 *     journal (re-sent until the cloud's receipt), and commands are answered again from the command history,
 *     so files would only add SD-card writes and a second copy of the same data.</li>
 * <li>In-flight window: at most {@value #IN_FLIGHT_WINDOW} QoS 1 publishes await their PUBACK; the rest wait in
 *     a queue (at most {@value #QUEUE_LIMIT}, also while disconnected) and go out as acknowledgements arrive.
 *     Paho refuses a publish beyond the broker's Receive Maximum instead of queueing it, and HiveMQ's default
 *     is 10. Inbound, the broker may have {@value #IN_FLIGHT_WINDOW} messages unacknowledged to us.</li>
 * <li>QoS: each channel's own ({@link Channel#qos()}); a QoS 0 publish completes once written, a QoS 1 one on its PUBACK.</li>
 * <li>Close: DISCONNECT with reason 0 (normal), so the broker discards the last will.</li>
 * </ul>
 */
public final class PahoBrokerConnection implements BrokerConnection {
    private static final Logger LOG = LoggerFactory.getLogger(PahoBrokerConnection.class);
    /** QoS 1 publishes awaiting their PUBACK at once; also the Receive Maximum we announce. */
    static final int IN_FLIGHT_WINDOW = 10;
    /** Publishes waiting for the window (or for a connection); beyond this a publish fails at once. */
    static final int QUEUE_LIMIT = 1000;
    private static final int NORMAL_DISCONNECTION = 0;
    private static final long QUIESCE_MS = 2000;

    private final MqttAsyncClient client;
    private final BrokerEndpoint endpoint;
    /** This device's cloud-to-car topics ({@link BrokerConnection#subscriptions}). */
    private final java.util.Map<String, Channel> subscribed;
    private final String stateTopic;
    private final byte[] willPayload;
    private final ReconnectBackoff backoff;
    private final SSLSocketFactory sslSocketFactory;
    private final ScheduledExecutorService timer;
    /** Paho's threads, started without its 0.3 s of sleeping per connection ({@link PahoThreads}). */
    private final PahoThreads threads;
    private final AtomicBoolean renewing = new AtomicBoolean();
    private final Object lock = new Object();
    private final ArrayDeque<Outgoing> queue = new ArrayDeque<>();
    private final Set<Outgoing> inFlight = new LinkedHashSet<>();
    private volatile Listener listener;
    private volatile boolean closing;
    /** Power states: disconnected on purpose ({@link #suspend()}) and not reconnecting until {@link #resume()}. */
    private volatile boolean suspended;
    private int attempt;
    private ScheduledFuture<?> pendingReconnect;

    private record Outgoing(String topic, MqttMessage message, Channel channel, CompletableFuture<Void> done) {
    }

    /**
     * @param endpoint    device identity, broker address and TLS, session expiry
     * @param willPayload retained on the {@code state} channel if the connection drops without a goodbye
     * @param backoff     delays between reconnection attempts
     */
    public PahoBrokerConnection(BrokerEndpoint endpoint, byte[] willPayload, ReconnectBackoff backoff) {
        this.endpoint = Objects.requireNonNull(endpoint, "endpoint");
        String tenant = endpoint.tenant();
        String deviceId = endpoint.deviceId();
        this.subscribed = BrokerConnection.subscriptions(tenant, deviceId);
        this.stateTopic = Topic.of(tenant, deviceId, Channel.STATE).name();
        this.willPayload = willPayload.clone();
        this.backoff = Objects.requireNonNull(backoff, "backoff");
        if (!endpoint.mutualTls()) {
            Objects.requireNonNull(endpoint.credentials(), "credentials");
        }
        this.sslSocketFactory = endpoint.mutualTls() ? mutualTls(endpoint.tls())
                : endpoint.usesTls() ? (SSLSocketFactory) SSLSocketFactory.getDefault() : null;
        if (sslSocketFactory != null) {
            io.latchkey.agent.StartupTrace.mark("tls");
        }
        String uri = (endpoint.usesTls() ? "ssl://" : "tcp://") + endpoint.host() + ":" + endpoint.port();
        this.threads = new PahoThreads("mqtt-ping-" + deviceId);
        try {
            // no ping sender of our own: given the executor, Paho's TimerPingSender schedules the pings on it
            this.client = new MqttAsyncClient(uri, DeviceClientId.of(tenant, deviceId), new MemoryPersistence(), null, threads);
        } catch (MqttException e) {
            threads.shutdown();
            throw new IllegalArgumentException("MQTT client for " + uri + ": " + e.getMessage(), e);
        }
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "mqtt-reconnect-" + deviceId);
            t.setDaemon(true);
            return t;
        });
        client.setCallback(new Callback());
    }

    private static SSLSocketFactory mutualTls(MqttTls tls) {
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            var trust = tls.trustManagerFactory();
            context.init(tls.keyManagerFactory().getKeyManagers(), trust == null ? null : trust.getTrustManagers(), null);
            return context.getSocketFactory();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("TLS context for the device certificate: " + e.getMessage(), e);
        }
    }

    @Override
    public void start(Listener listener) {
        this.listener = Objects.requireNonNull(listener, "listener");
        connect(false);
    }

    /** A fresh CONNECT for every attempt: the connect token is single-use. */
    private MqttConnectionOptions options(boolean cleanStart) {
        MqttConnectionOptions o = new MqttConnectionOptions();
        o.setCleanStart(cleanStart);
        o.setSessionExpiryInterval(endpoint.sessionExpiry().toSeconds());
        o.setAutomaticReconnect(false);
        o.setReceiveMaximum(IN_FLIGHT_WINDOW);
        o.setKeepAliveInterval(60);
        o.setConnectionTimeout(30);
        MqttMessage will = new MqttMessage(willPayload, 1, true, null);
        o.setWill(stateTopic, will);
        if (sslSocketFactory != null) {
            o.setSocketFactory(sslSocketFactory);
            o.setHttpsHostnameVerificationEnabled(true);
        }
        if (!endpoint.mutualTls()) {
            ConnectCredentials credentials = endpoint.credentials();
            o.setUserName(credentials.username());
            o.setPassword(credentials.password());
        }
        return o;
    }

    private void connect(boolean cleanStart) {
        if (closing || suspended) {
            return;
        }
        io.latchkey.agent.StartupTrace.mark("connect");
        try {
            client.connect(options(cleanStart), null, new MqttActionListener() {
                @Override
                public void onSuccess(IMqttToken token) {
                    synchronized (lock) {
                        attempt = 0;
                    }
                    renewing.set(false);
                }

                @Override
                public void onFailure(IMqttToken token, Throwable e) {
                    LOG.debug("{}: connection attempt failed: {}", endpoint.deviceId(), String.valueOf(e));
                    renewing.set(false);
                    reconnectLater(e);
                }
            });
        } catch (MqttException e) {
            reconnectLater(e);
        }
    }

    private void reconnectLater(Throwable cause) {
        synchronized (lock) {
            if (closing || suspended || (pendingReconnect != null && !pendingReconnect.isDone())) {
                return;
            }
            attempt++;
            Duration delay = backoff.delay(attempt);
            LOG.info("{}: not connected ({}), reconnecting in {} ms (attempt {})", endpoint.deviceId(),
                    cause == null ? "no cause" : cause.getMessage(), delay.toMillis(), attempt);
            pendingReconnect = timer.schedule(() -> connect(false), delay.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    private final class Callback implements MqttCallback {
        @Override
        public void connectComplete(boolean reconnect, String serverUri) {
            io.latchkey.agent.StartupTrace.mark("connack");
            LOG.info("{}: connected to the broker", endpoint.deviceId());
            // The listener hears of the connection only once the broker has confirmed the subscriptions: the
            // agent announces itself online there, and a command sent on that news must find a subscriber.
            // (the retained ones, revocations and the key set, arrive anew at every connection)
            subscribeAll().whenComplete((ok, e) -> {
                if (e instanceof NotSent) {
                    LOG.warn("{}: subscribing failed: {}", endpoint.deviceId(), e.getCause().toString());
                    return; // the client is not connected after all: its next connect subscribes again
                }
                if (e != null) {
                    LOG.warn("{}: subscribing to {} failed: {}", endpoint.deviceId(), subscribed.keySet(), String.valueOf(e));
                }
                subscribed();
            });
        }

        @Override
        public void disconnected(MqttDisconnectResponse response) {
            Throwable cause = response.getException() != null ? response.getException()
                    : new MqttException(response.getReturnCode());
            lost(cause);
            if (!closing) {
                reconnectLater(cause);
            }
        }

        @Override
        public void mqttErrorOccurred(MqttException e) {
            LOG.debug("{}: MQTT error: {}", endpoint.deviceId(), e.toString());
        }

        @Override
        public void messageArrived(String topic, MqttMessage message) {
            // Also messages queued in the persistent session, which arrive before this process subscribed again.
            Channel channel = subscribed.get(topic);
            if (channel != null) {
                BrokerConnection.deliver(listener, channel, message.getPayload());
            } else {
                LOG.debug("{}: ignoring message on {}", endpoint.deviceId(), topic);
            }
        }

        @Override
        public void deliveryComplete(IMqttToken token) {
        }

        @Override
        public void authPacketArrived(int reasonCode, MqttProperties properties) {
        }
    }

    private void subscribed() {
        pump();
        if (client.isConnected() && !closing) {
            listener.connected();
        }
    }

    /** The connection dropped (or we dropped it): publishes awaiting a PUBACK fail, so their senders can retry. */
    private void lost(Throwable cause) {
        List<Outgoing> failed;
        synchronized (lock) {
            failed = List.copyOf(inFlight);
            inFlight.clear();
        }
        for (Outgoing o : failed) {
            o.done.completeExceptionally(new MqttPublishException(o.channel, cause));
        }
        Listener l = listener;
        if (l != null && !closing && !suspended) {
            l.disconnected(cause);
        }
    }

    @Override
    public CompletableFuture<Void> publish(Channel channel, byte[] payload, boolean retain) {
        // the channel's QoS (Channel.qos())
        MqttMessage message = new MqttMessage(payload, channel.qos(), retain, null);
        long expiry = endpoint.sessionExpiry().toSeconds();
        if (!retain && expiry > 0) {
            MqttProperties properties = new MqttProperties();
            properties.setMessageExpiryInterval(expiry);
            message.setProperties(properties);
        }
        Outgoing out = new Outgoing(Topic.of(endpoint.tenant(), endpoint.deviceId(), channel).name(), message, channel,
                new CompletableFuture<>());
        synchronized (lock) {
            if (closing || queue.size() >= QUEUE_LIMIT) {
                out.done.completeExceptionally(new MqttPublishException(channel,
                        new IllegalStateException(closing ? "connection closed" : QUEUE_LIMIT + " publishes already waiting")));
                return out.done;
            }
            queue.add(out);
        }
        pump();
        return out.done;
    }

    /** Sends queued publishes while connected and the window has room. */
    private void pump() {
        while (true) {
            Outgoing next;
            synchronized (lock) {
                if (closing || !client.isConnected() || inFlight.size() >= IN_FLIGHT_WINDOW || queue.isEmpty()) {
                    return;
                }
                next = queue.poll();
                inFlight.add(next);
            }
            try {
                client.publish(next.topic, next.message, null, new MqttActionListener() {
                    @Override
                    public void onSuccess(IMqttToken token) {
                        int[] codes = token.getReasonCodes();
                        if (codes != null && codes.length > 0 && codes[0] >= 0x80) {
                            finished(next, new MqttException(codes[0]));
                        } else {
                            finished(next, null);
                        }
                    }

                    @Override
                    public void onFailure(IMqttToken token, Throwable e) {
                        finished(next, e);
                    }
                });
            } catch (MqttException e) {
                finished(next, e);
            }
        }
    }

    private void finished(Outgoing out, Throwable error) {
        synchronized (lock) {
            inFlight.remove(out);
        }
        if (error == null) {
            out.done.complete(null);
        } else {
            out.done.completeExceptionally(new MqttPublishException(out.channel, error));
        }
        pump();
    }

    @Override
    public CompletableFuture<Void> probe() {
        try {
            return CompletableFuture.runAsync(() -> { }, timer);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    @Override
    public boolean isConnected() {
        return client.isConnected();
    }

    @Override
    public CompletableFuture<Void> checkSession() {
        if (closing || !client.isConnected()) {
            return CompletableFuture.failedFuture(new IllegalStateException("not connected"));
        }
        return subscribeAll();
    }

    /**
     * Subscribes to every topic of this connection again (what the broker confirms after a connect, or when the
     * session is checked): completes when the broker granted all, exceptionally when it refused one or failed.
     */
    private CompletableFuture<Void> subscribeAll() {
        CompletableFuture<Void> done = new CompletableFuture<>();
        MqttSubscription[] subscriptions = subscribed.keySet().stream().map(t -> new MqttSubscription(t, 1))
                .toArray(MqttSubscription[]::new);
        try {
            client.subscribe(subscriptions, null, new MqttActionListener() {
                @Override
                public void onSuccess(IMqttToken token) {
                    int[] codes = token.getReasonCodes();
                    if (codes != null && java.util.Arrays.stream(codes).anyMatch(c -> c >= 0x80)) {
                        done.completeExceptionally(new IllegalStateException("broker refused a subscription: "
                                + java.util.Arrays.toString(codes)));
                    } else {
                        done.complete(null);
                    }
                }

                @Override
                public void onFailure(IMqttToken token, Throwable e) {
                    done.completeExceptionally(e == null ? new IllegalStateException("subscribe failed") : e);
                }
            }, (MqttProperties) null);
        } catch (MqttException e) {
            done.completeExceptionally(new NotSent(e));
        }
        return done;
    }

    /** The subscription request could not even be sent (the client refused it at once). */
    private static final class NotSent extends IllegalStateException {
        NotSent(MqttException cause) {
            super("subscription not sent: " + cause.getMessage(), cause);
        }
    }

    @Override
    public void renewSession() {
        if (closing || !client.isConnected() || !renewing.compareAndSet(false, true)) {
            return;
        }
        LOG.warn("{}: the broker session stopped delivering; starting a fresh session", endpoint.deviceId());
        try {
            client.disconnect(QUIESCE_MS, null, new MqttActionListener() {
                @Override
                public void onSuccess(IMqttToken token) {
                    lost(new IllegalStateException("renewing the session"));
                    connect(true);
                }

                @Override
                public void onFailure(IMqttToken token, Throwable e) {
                    lost(e);
                    connect(true);
                }
            }, NORMAL_DISCONNECTION, new MqttProperties());
        } catch (MqttException e) {
            renewing.set(false);
            LOG.warn("{}: fresh session not started: {}", endpoint.deviceId(), e.toString());
        }
    }

    /**
     * Disconnects with reason 0 (the broker discards the last will: the agent has published its sleeping state) and
     * stays away until {@link #resume()}; the listener hears nothing of it.
     */
    @Override
    public CompletableFuture<Void> suspend() {
        if (closing) {
            return CompletableFuture.completedFuture(null);
        }
        synchronized (lock) {
            suspended = true;
            if (pendingReconnect != null) {
                pendingReconnect.cancel(false);
            }
        }
        CompletableFuture<Void> done = new CompletableFuture<>();
        disconnectNormally(done);
        return done;
    }

    /**
     * Disconnects with reason 0, "normal disconnection" (the broker discards the last will), if connected; completes
     * {@code done} either way once that is over.
     */
    private void disconnectNormally(CompletableFuture<Void> done) {
        if (!client.isConnected()) {
            done.complete(null);
            return;
        }
        try {
            client.disconnect(QUIESCE_MS, null, new MqttActionListener() {
                @Override
                public void onSuccess(IMqttToken token) {
                    done.complete(null);
                }

                @Override
                public void onFailure(IMqttToken token, Throwable e) {
                    done.complete(null);
                }
            }, NORMAL_DISCONNECTION, new MqttProperties());
        } catch (MqttException e) {
            done.complete(null);
        }
    }

    /** Connects again after {@link #suspend()}, into the persistent session (commands queued meanwhile arrive). */
    @Override
    public void resume() {
        if (closing || !suspended) {
            return;
        }
        suspended = false;
        if (!client.isConnected()) {
            timer.execute(() -> connect(false));
        }
    }

    @Override
    public CompletableFuture<Void> close() {
        List<Outgoing> dropped;
        synchronized (lock) {
            closing = true;
            if (pendingReconnect != null) {
                pendingReconnect.cancel(false);
            }
            dropped = List.copyOf(queue);
            queue.clear();
        }
        for (Outgoing o : dropped) {
            o.done.completeExceptionally(new MqttPublishException(o.channel, new IllegalStateException("connection closed")));
        }
        CompletableFuture<Void> done = new CompletableFuture<>();
        // Released on our own thread: Paho's close must not run on its callback thread, which it waits for.
        done.whenComplete((ok, e) -> timer.execute(() -> {
            lost(new IllegalStateException("connection closed"));
            try {
                client.close(true);
            } catch (MqttException ignored) {
                // already closed
            }
            timer.shutdown();
            threads.shutdown();
        }));
        disconnectNormally(done);
        return done;
    }
}
