package io.latchkey.simulator.interop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import io.latchkey.agent.mqtt.BrokerConnection;
import io.latchkey.agent.mqtt.BrokerConnections;
import io.latchkey.agent.mqtt.BrokerEndpoint;
import io.latchkey.agent.mqtt.MqttClientKind;
import io.latchkey.agent.mqtt.ReconnectBackoff;
import io.latchkey.protocol.Channel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The connection contract of the agent's {@link BrokerConnection}, the same for every implementation
 * ({@link MqttClientKind}) against every broker: connect; "connected" only once the subscriptions are
 * confirmed; a QoS 1 publish completes on the broker's PUBACK (with a message expiry); reconnection with
 * new subscriptions after a broker restart that lost every session; a session renewal; a clean close that
 * leaves no last will. One subclass per implementation and broker.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class BrokerConnectionContract {
    static final Duration SESSION_EXPIRY = Duration.ofMinutes(10);
    static final Duration WAIT = Duration.ofSeconds(20);

    /** A broker with the cloud's view of it: an observer client on the platform side. */
    interface ContractBroker extends AutoCloseable {
        /** Where and as whom device {@code deviceId} of tenant {@code acme} connects, session expiry {@link #SESSION_EXPIRY}. */
        BrokerEndpoint endpoint(String deviceId) throws Exception;

        /** A connected client that may read and write every tenant's topics, as the cloud does. */
        Mqtt5AsyncClient observer() throws Exception;

        /** Stops and starts the broker on the same port; sessions do not survive. */
        void restart() throws Exception;
    }

    private ContractBroker broker;
    private final List<BrokerConnection> opened = new ArrayList<>();
    private final List<Mqtt5AsyncClient> observers = new ArrayList<>();

    abstract MqttClientKind implementation();

    abstract ContractBroker startBroker() throws Exception;

    @BeforeAll
    void startTheBroker() throws Exception {
        broker = startBroker();
    }

    @AfterAll
    void stopTheBroker() throws Exception {
        if (broker != null) {
            broker.close();
        }
    }

    @AfterEach
    void closeClients() {
        opened.forEach(c -> c.close().orTimeout(5, TimeUnit.SECONDS).exceptionally(e -> null).join());
        opened.clear();
        observers.forEach(o -> o.disconnect().orTimeout(5, TimeUnit.SECONDS).exceptionally(e -> null).join());
        observers.clear();
    }

    /** What the agent's listener hears. */
    static final class Heard implements BrokerConnection.Listener {
        final AtomicInteger connected = new AtomicInteger();
        final AtomicInteger disconnected = new AtomicInteger();
        final List<String> commands = new CopyOnWriteArrayList<>();
        volatile Runnable onConnected = () -> { };

        @Override
        public void connected() {
            connected.incrementAndGet();
            onConnected.run();
        }

        @Override
        public void disconnected(Throwable cause) {
            disconnected.incrementAndGet();
        }

        @Override
        public void command(byte[] payload) {
            commands.add(new String(payload, StandardCharsets.UTF_8));
        }

        @Override
        public void receipt(byte[] payload) {
        }
    }

    private BrokerConnection connection(String deviceId, byte[] will) throws Exception {
        BrokerConnection c = BrokerConnections.create(implementation(), broker.endpoint(deviceId), will,
                new ReconnectBackoff(Duration.ofMillis(100), Duration.ofSeconds(1), new SplittableRandom(7)), null);
        opened.add(c);
        return c;
    }

    private Mqtt5AsyncClient observer(String filter, List<Mqtt5Publish> seen) throws Exception {
        Mqtt5AsyncClient o = broker.observer();
        observers.add(o);
        o.subscribeWith().topicFilter(filter).qos(MqttQos.AT_LEAST_ONCE).callback(seen::add).send().get(10, TimeUnit.SECONDS);
        return o;
    }

    private static CompletableFuture<?> command(Mqtt5AsyncClient cloud, String deviceId, String text) {
        return cloud.publishWith().topic("lk/acme/" + deviceId + "/cmd").qos(MqttQos.AT_LEAST_ONCE)
                .payload(text.getBytes(StandardCharsets.UTF_8)).send();
    }

    private static String device() {
        return "dev-" + UUID.randomUUID().toString().substring(0, 8);
    }

    @Test
    void connects_andSaysConnectedOnlyOnceItsSubscriptionsAreConfirmed() throws Exception {
        String id = device();
        Mqtt5AsyncClient cloud = observer("lk/acme/" + id + "/state", new CopyOnWriteArrayList<>());
        BrokerConnection c = connection(id, "offline".getBytes(StandardCharsets.UTF_8));
        Heard heard = new Heard();
        // A command sent the moment the agent says it is connected (as the cloud does on its 'online' state) must
        // arrive: a first connection has no session that would queue it for a subscription still on its way.
        heard.onConnected = () -> command(cloud, id, "on-connected");
        assertThat(c.isConnected()).isFalse();

        c.start(heard);

        await().atMost(WAIT).until(() -> heard.commands.contains("on-connected"));
        assertThat(c.isConnected()).isTrue();
        assertThat(heard.connected.get()).isEqualTo(1);
    }

    @Test
    void aQos1Publish_completesOnTheBrokersPuback_withAMessageExpiry_andAnAnswerGoesAtQos0() throws Exception {
        String id = device();
        List<Mqtt5Publish> seen = new CopyOnWriteArrayList<>();
        observer("lk/acme/" + id + "/#", seen);
        BrokerConnection c = connection(id, "offline".getBytes(StandardCharsets.UTF_8));
        Heard heard = new Heard();
        c.start(heard);
        await().atMost(WAIT).until(() -> heard.connected.get() == 1);

        List<CompletableFuture<Void>> sent = new ArrayList<>();
        for (int i = 0; i < 25; i++) { // more than the in-flight window of either client
            sent.add(c.publish(Channel.EVENT, ("event-" + i).getBytes(StandardCharsets.UTF_8), false));
        }
        CompletableFuture.allOf(sent.toArray(CompletableFuture[]::new)).get(WAIT.toSeconds(), TimeUnit.SECONDS);
        c.publish(Channel.STATE, "online".getBytes(StandardCharsets.UTF_8), true).get(WAIT.toSeconds(), TimeUnit.SECONDS);
        c.publish(Channel.ACK, "answer".getBytes(StandardCharsets.UTF_8), false).get(WAIT.toSeconds(), TimeUnit.SECONDS);

        await().atMost(WAIT).until(() -> seen.size() >= 27);
        List<Mqtt5Publish> events = seen.stream().filter(p -> p.getTopic().toString().endsWith("/event")).toList();
        assertThat(events).extracting(p -> new String(p.getPayloadAsBytes(), StandardCharsets.UTF_8))
                .containsExactlyInAnyOrderElementsOf(java.util.stream.IntStream.range(0, 25).mapToObj(i -> "event-" + i).toList());
        assertThat(events).allSatisfy(p -> {
            assertThat(p.getQos()).isEqualTo(MqttQos.AT_LEAST_ONCE);
            assertThat(p.getMessageExpiryInterval()).isPresent();
            assertThat(p.getMessageExpiryInterval().getAsLong()).isPositive().isLessThanOrEqualTo(SESSION_EXPIRY.toSeconds());
        });
        Mqtt5Publish state = seen.stream().filter(p -> p.getTopic().toString().endsWith("/state")).findFirst().orElseThrow();
        assertThat(state.getMessageExpiryInterval()).as("a retained state does not expire").isEmpty();
        Mqtt5Publish answer = seen.stream().filter(p -> p.getTopic().toString().endsWith("/ack")).findFirst().orElseThrow();
        assertThat(answer.getQos().getCode()).as("a command's answer travels at its channel's QoS").isEqualTo(Channel.ACK.qos());

        c.close().get(10, TimeUnit.SECONDS);
        assertThatThrownBy(() -> c.publish(Channel.EVENT, new byte[] {1}, false).get(WAIT.toSeconds(), TimeUnit.SECONDS))
                .as("no PUBACK after close").isInstanceOf(ExecutionException.class);
    }

    @Test
    void reconnectsAfterABrokerRestart_andSubscribesAgain() throws Exception {
        String id = device();
        BrokerConnection c = connection(id, "offline".getBytes(StandardCharsets.UTF_8));
        Heard heard = new Heard();
        c.start(heard);
        await().atMost(WAIT).until(() -> heard.connected.get() == 1);

        broker.restart(); // in-memory sessions: the subscriptions are gone with it

        await().atMost(WAIT).until(() -> heard.disconnected.get() >= 1 && heard.connected.get() >= 2 && c.isConnected());
        command(observer("lk/acme/" + id + "/state", new CopyOnWriteArrayList<>()), id, "after-restart").get(10, TimeUnit.SECONDS);
        await().atMost(WAIT).until(() -> heard.commands.contains("after-restart"));
        c.publish(Channel.EVENT, "still-there".getBytes(StandardCharsets.UTF_8), false).get(WAIT.toSeconds(), TimeUnit.SECONDS);
    }

    @Test
    void renewingTheSession_reconnectsWithAFreshSession_andSubscribesAgain() throws Exception {
        String id = device();
        Mqtt5AsyncClient cloud = observer("lk/acme/" + id + "/state", new CopyOnWriteArrayList<>());
        BrokerConnection c = connection(id, "offline".getBytes(StandardCharsets.UTF_8));
        Heard heard = new Heard();
        c.start(heard);
        await().atMost(WAIT).until(() -> heard.connected.get() == 1);

        c.renewSession();

        await().atMost(WAIT).until(() -> heard.connected.get() == 2 && c.isConnected());
        command(cloud, id, "after-renewal").get(10, TimeUnit.SECONDS);
        await().atMost(WAIT).until(() -> heard.commands.contains("after-renewal"));
        assertThat(heard.connected.get()).as("one renewal, one new connection").isEqualTo(2);
    }

    @Test
    void checkingTheSession_subscribesAgainOnTheLiveConnection_withoutReconnecting_andFailsWhenClosed() throws Exception {
        String id = device();
        Mqtt5AsyncClient cloud = observer("lk/acme/" + id + "/state", new CopyOnWriteArrayList<>());
        BrokerConnection c = connection(id, "offline".getBytes(StandardCharsets.UTF_8));
        Heard heard = new Heard();
        c.start(heard);
        await().atMost(WAIT).until(() -> heard.connected.get() == 1);

        c.checkSession().get(10, TimeUnit.SECONDS); // the broker confirmed the subscriptions

        command(cloud, id, "after-check").get(10, TimeUnit.SECONDS);
        await().atMost(WAIT).until(() -> heard.commands.contains("after-check"));
        assertThat(heard.connected.get()).as("the same connection").isEqualTo(1);
        assertThat(heard.disconnected.get()).isZero();
        c.close().get(10, TimeUnit.SECONDS);
        assertThat(c.checkSession()).failsWithin(WAIT);
    }

    @Test
    void suspending_disconnectsWithoutALastWill_staysAway_andResumingConnectsAndSubscribesAgain() throws Exception {
        String id = device();
        List<Mqtt5Publish> seen = new CopyOnWriteArrayList<>();
        Mqtt5AsyncClient cloud = observer("lk/acme/" + id + "/state", seen);
        String will = "will-" + id;
        BrokerConnection c = connection(id, will.getBytes(StandardCharsets.UTF_8));
        Heard heard = new Heard();
        c.start(heard);
        await().atMost(WAIT).until(() -> heard.connected.get() == 1);

        c.suspend().get(10, TimeUnit.SECONDS); // power states: the car sleeps
        assertThat(c.isConnected()).isFalse();
        Thread.sleep(2500); // longer than the first reconnection delay
        assertThat(c.isConnected()).as("no reconnection while suspended").isFalse();
        assertThat(heard.connected.get()).isEqualTo(1);
        assertThat(seen).extracting(p -> new String(p.getPayloadAsBytes(), StandardCharsets.UTF_8)).doesNotContain(will);

        c.resume();
        await().atMost(WAIT).until(() -> heard.connected.get() == 2 && c.isConnected());
        command(cloud, id, "after-sleep").get(10, TimeUnit.SECONDS);
        await().atMost(WAIT).until(() -> heard.commands.contains("after-sleep"));
    }

    @Test
    void aCleanClose_leavesNoLastWill() throws Exception {
        String id = device();
        List<Mqtt5Publish> seen = new CopyOnWriteArrayList<>();
        observer("lk/acme/" + id + "/state", seen);
        String will = "will-" + id;
        BrokerConnection c = connection(id, will.getBytes(StandardCharsets.UTF_8));
        Heard heard = new Heard();
        c.start(heard);
        await().atMost(WAIT).until(() -> heard.connected.get() == 1);
        c.publish(Channel.STATE, "online".getBytes(StandardCharsets.UTF_8), true).get(WAIT.toSeconds(), TimeUnit.SECONDS);
        await().atMost(WAIT).until(() -> !seen.isEmpty()); // the observer's subscription works

        c.close().get(10, TimeUnit.SECONDS);

        assertThat(c.isConnected()).isFalse();
        Thread.sleep(1500);
        assertThat(seen).extracting(p -> new String(p.getPayloadAsBytes(), StandardCharsets.UTF_8)).doesNotContain(will);
    }
}
