package io.latchkey.agent.mqtt;

import com.hivemq.client.mqtt.MqttClientExecutorConfig;
import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.lifecycle.MqttClientDisconnectedContext;
import com.hivemq.client.mqtt.lifecycle.MqttDisconnectSource;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5Client;
import com.hivemq.client.mqtt.mqtt5.Mqtt5ClientBuilder;
import com.hivemq.client.mqtt.mqtt5.lifecycle.Mqtt5ClientDisconnectedContext;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import io.latchkey.protocol.Channel;
import io.latchkey.protocol.Topic;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The broker connection on the HiveMQ MQTT 5 async client. Many connections can share one Netty
 * event loop through the same {@link MqttClientExecutorConfig} (the client keys its event loop groups
 * by executor), so a simulated fleet costs sockets, not threads.
 *
 * <p>Session: persistent ({@code cleanStart=false}, configured expiry), so what the cloud sends at QoS 1 while
 * the car was briefly away (receipts, key sets, offers) is delivered on reconnection; commands come at QoS 0 and
 * the backend sends a command again until it has the answer, and a command that arrives expired is refused by
 * the verifier. Each channel is published at its own QoS ({@link Channel#qos()}).
 * The command and receipt subscriptions are renewed on every connection anyway, in case the session
 * expired.
 * Reconnection: on every unintended disconnect, after a jittered exponential {@link ReconnectBackoff}.
 */
public final class HiveMqBrokerConnection implements BrokerConnection {
    private static final Logger LOG = LoggerFactory.getLogger(HiveMqBrokerConnection.class);

    private final Mqtt5AsyncClient client;
    private final String tenant;
    private final String deviceId;
    /** This device's cloud-to-car topics ({@link BrokerConnection#subscriptions}). */
    private final java.util.Map<String, Channel> subscribed;
    private final ReconnectBackoff backoff;
    private final Duration sessionExpiry;
    /** Null with mutual TLS, where the certificate says who the device is. */
    private final ConnectCredentials credentials;
    private volatile Listener listener;
    private volatile boolean closing;
    private final java.util.concurrent.atomic.AtomicBoolean renewing = new java.util.concurrent.atomic.AtomicBoolean();
    /** Set by a renewal: its clean start ends the session and the global publish flow with it. */
    private final java.util.concurrent.atomic.AtomicBoolean flowEnded = new java.util.concurrent.atomic.AtomicBoolean();

    /**
     * @param config         device identity, broker address and TLS, session expiry
     * @param willPayload    retained on the {@code state} channel if the connection drops without a goodbye
     * @param executorConfig shared Netty executor/threads; {@code null} for the client's shared default
     * @param backoff        delays between reconnection attempts
     */
    public HiveMqBrokerConnection(BrokerEndpoint config, byte[] willPayload, MqttClientExecutorConfig executorConfig,
                                  ReconnectBackoff backoff) {
        this.tenant = config.tenant();
        this.deviceId = config.deviceId();
        this.subscribed = BrokerConnection.subscriptions(tenant, deviceId);
        this.backoff = Objects.requireNonNull(backoff, "backoff");
        this.sessionExpiry = config.sessionExpiry();
        this.credentials = config.mutualTls() ? null : java.util.Objects.requireNonNull(config.credentials(), "credentials");
        Mqtt5ClientBuilder builder = Mqtt5Client.builder()
                .identifier(DeviceClientId.of(tenant, deviceId))
                .serverHost(config.host())
                .serverPort(config.port())
                .addConnectedListener(ctx -> onConnected())
                .addDisconnectedListener(this::onDisconnected)
                .willPublish()
                    .topic(Topic.of(tenant, deviceId, Channel.STATE).name())
                    .qos(MqttQos.AT_LEAST_ONCE)
                    .retain(true)
                    .payload(willPayload)
                    .applyWillPublish();
        if (config.mutualTls()) {
            // Mutual TLS with the device's own key and certificate from provisioning.
            var ssl = builder.sslConfig().keyManagerFactory(config.tls().keyManagerFactory());
            if (config.tls().trustManagerFactory() != null) {
                ssl = ssl.trustManagerFactory(config.tls().trustManagerFactory());
            }
            builder = ssl.applySslConfig();
        } else if (config.usesTls()) {
            builder = builder.sslWithDefaultConfig();
        }
        if (executorConfig != null) {
            builder = builder.executorConfig(executorConfig);
        }
        this.client = builder.buildAsync();
    }

    @Override
    public void start(Listener listener) {
        this.listener = Objects.requireNonNull(listener, "listener");
        // ALL rather than SUBSCRIBED: after a restart, messages queued in the persistent session arrive
        // before this process has subscribed again.
        client.publishes(MqttGlobalPublishFilter.ALL, this::onPublish);
        authenticated(client.connectWith())
                .cleanStart(false)
                .sessionExpiryInterval(sessionExpiry.toSeconds())
                .send()
                .whenComplete((ack, e) -> {
                    if (e != null) {
                        LOG.debug("{}: first connection attempt failed: {}", deviceId, e.toString());
                    }
                });
    }

    private void onPublish(Mqtt5Publish publish) {
        Channel channel = subscribed.get(publish.getTopic().toString());
        if (channel != null) {
            BrokerConnection.deliver(listener, channel, publish.getPayloadAsBytes());
        } else {
            LOG.debug("{}: ignoring message on {}", deviceId, publish.getTopic());
        }
    }

    private void onConnected() {
        LOG.info("{}: connected to the broker", deviceId);
        if (flowEnded.getAndSet(false)) {
            // The clean start ended the session, and with it the client's global publish flow: without a new one
            // the fresh session's commands would arrive and be dropped (found by the connection contract test).
            client.publishes(MqttGlobalPublishFilter.ALL, this::onPublish);
        }
        // The listener hears of the connection only once the broker has confirmed the subscriptions: the
        // agent announces itself online there, and a command sent on that news must find a subscriber
        // (a first connection has no session that would queue it).
        // (the retained ones, revocations and the key set, arrive anew at every connection; a broker that does not
        // allow one answers with an error code for that subscription only, logged below)
        client.subscribe(com.hivemq.client.mqtt.mqtt5.message.subscribe.Mqtt5Subscribe.builder()
                        .addSubscriptions(subscribed.keySet().stream().map(topic -> com.hivemq.client.mqtt.mqtt5.message.subscribe.Mqtt5Subscription
                                .builder().topicFilter(topic).qos(MqttQos.AT_LEAST_ONCE).build()).toList())
                        .build())
                .whenComplete((ack, e) -> {
                    if (e != null) {
                        LOG.warn("{}: subscribing to {} failed: {}", deviceId, subscribed.keySet(), e.toString());
                    } else if (ack.getReasonCodes().stream().anyMatch(c -> c.isError())) {
                        LOG.warn("{}: broker refused a subscription: {}", deviceId, ack.getReasonCodes());
                    }
                    if (client.getState().isConnected()) {
                        listener.connected();
                    }
                });
    }

    private void onDisconnected(MqttClientDisconnectedContext ctx) {
        if (closing || ctx.getSource() == MqttDisconnectSource.USER) {
            return;
        }
        // getAttempts() counts the failed connection itself: 1 before the first retry.
        int attempt = Math.max(1, ctx.getReconnector().getAttempts());
        Duration delay = backoff.delay(attempt);
        if (ctx instanceof Mqtt5ClientDisconnectedContext c5) {
            // Reconnect into the persistent session, also after a renewSession() connected with a clean start.
            // A fresh connect token for every attempt: tokens are single-use.
            authenticated(c5.getReconnector().connectWith()).cleanStart(false).sessionExpiryInterval(sessionExpiry.toSeconds())
                    .applyConnect();
        }
        LOG.info("{}: disconnected ({}), reconnecting in {} ms (attempt {})", deviceId,
                ctx.getCause() == null ? "no cause" : ctx.getCause().getMessage(), delay.toMillis(), attempt);
        ctx.getReconnector().reconnect(true).delay(delay.toMillis(), TimeUnit.MILLISECONDS);
        Listener l = listener;
        if (l != null) {
            l.disconnected(ctx.getCause());
        }
    }

    @Override
    public CompletableFuture<Void> publish(Channel channel, byte[] payload, boolean retain) {
        var publish = client.publishWith()
                .topic(Topic.of(tenant, deviceId, channel).name())
                .qos(channel.qos() == 0 ? MqttQos.AT_MOST_ONCE : MqttQos.AT_LEAST_ONCE)
                .retain(retain)
                .payload(payload);
        // What the broker would not keep for a session it does not keep for a sleeping subscriber either.
        var complete = retain || sessionExpiry.isZero() ? publish.noMessageExpiry()
                : publish.messageExpiryInterval(sessionExpiry.toSeconds());
        return complete.send()
                .thenApply(result -> {
                    if (result.getError().isPresent()) {
                        throw new MqttPublishException(channel, result.getError().get());
                    }
                    return null;
                });
    }

    @Override
    public CompletableFuture<Void> checkSession() {
        if (closing || !client.getState().isConnected()) {
            return CompletableFuture.failedFuture(new IllegalStateException("not connected"));
        }
        return client.subscribe(com.hivemq.client.mqtt.mqtt5.message.subscribe.Mqtt5Subscribe.builder()
                        .addSubscriptions(subscribed.keySet().stream().map(topic -> com.hivemq.client.mqtt.mqtt5.message.subscribe.Mqtt5Subscription
                                .builder().topicFilter(topic).qos(MqttQos.AT_LEAST_ONCE).build()).toList())
                        .build())
                .thenApply(ack -> {
                    if (ack.getReasonCodes().stream().anyMatch(c -> c.isError())) {
                        throw new IllegalStateException("broker refused a subscription: " + ack.getReasonCodes());
                    }
                    return null;
                });
    }

    @Override
    public void renewSession() {
        if (closing || !client.getState().isConnected() || !renewing.compareAndSet(false, true)) {
            return;
        }
        LOG.warn("{}: the broker session stopped delivering; starting a fresh session", deviceId);
        // A USER disconnect is not reconnected by onDisconnected; the clean-start connect below is.
        flowEnded.set(true);
        client.disconnect().whenComplete((ok, e) -> {
            authenticated(client.connectWith())
                .cleanStart(true)
                .sessionExpiryInterval(sessionExpiry.toSeconds())
                .send()
                .whenComplete((ack, error) -> {
                    renewing.set(false);
                    if (error != null) {
                        LOG.warn("{}: fresh session not established: {}", deviceId, error.toString());
                    }
                });
        });
    }

    /** Adds username and a fresh signed token to a CONNECT, unless the client certificate speaks for the device. */
    private <B extends com.hivemq.client.mqtt.mqtt5.message.connect.Mqtt5ConnectBuilderBase<B>> B authenticated(B connect) {
        if (credentials == null) {
            return connect;
        }
        return connect.simpleAuth(com.hivemq.client.mqtt.mqtt5.message.auth.Mqtt5SimpleAuth.builder()
                .username(credentials.username()).password(credentials.password()).build());
    }

    @Override
    public CompletableFuture<Void> suspend() {
        if (closing || !client.getState().isConnectedOrReconnect()) {
            return CompletableFuture.completedFuture(null);
        }
        // A USER disconnect: onDisconnected does not reconnect it.
        return client.disconnect().exceptionally(e -> null);
    }

    @Override
    public void resume() {
        if (closing || client.getState().isConnectedOrReconnect()) {
            return;
        }
        authenticated(client.connectWith()).cleanStart(false).sessionExpiryInterval(sessionExpiry.toSeconds()).send()
                .whenComplete((ack, e) -> {
                    if (e != null) {
                        LOG.debug("{}: connection after sleep failed: {}", deviceId, e.toString());
                    }
                });
    }

    @Override
    public boolean isConnected() {
        return client.getState().isConnected();
    }

    @Override
    public CompletableFuture<Void> close() {
        closing = true;
        if (!client.getState().isConnectedOrReconnect()) {
            return CompletableFuture.completedFuture(null);
        }
        return client.disconnect().exceptionally(e -> null);
    }
}
