package io.latchkey.simulator.bench;

import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5Client;
import io.latchkey.simulator.scenario.Percentiles;
import java.net.URI;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * What the broker alone can do on this machine, for comparison: a plain pair of MQTT 5 clients (the same
 * HiveMQ client library the agent and backend use) against the same broker, with messages of the same
 * size. Round trip: A publishes QoS 1, B echoes it QoS 1, A receives; sequential (and the same at QoS 0, and
 * between two clients with persistent sessions as the backend and the cars have, for comparison). Throughput: A publishes
 * QoS 1 as fast as 64 in flight allow, B counts what arrives.
 */
final class BrokerReference {
    /**
     * {@code rttQos0*}: the same round trip with both messages at QoS 0; {@code rttPersistent*}: at QoS 1 between
     * two clients with persistent sessions (no clean start, a session expiry), as the backend's and the cars' are
     * (both for comparison; the reference is the plain pair).
     */
    record Result(int messageBytes, double rttP50Ms, double rttP99Ms, double throughputMsgPerSec,
                  double rttQos0P50Ms, double rttQos0P99Ms, double rttPersistentP50Ms, double rttPersistentP99Ms) {
    }

    private BrokerReference() {
    }

    static Result measure(String brokerUrl, int messageBytes, int roundTrips, double throughputSeconds) throws Exception {
        URI u = URI.create(brokerUrl);
        Mqtt5AsyncClient a = Mqtt5Client.builder().identifier("ref-a").serverHost(u.getHost()).serverPort(u.getPort()).buildAsync();
        Mqtt5AsyncClient b = Mqtt5Client.builder().identifier("ref-b").serverHost(u.getHost()).serverPort(u.getPort()).buildAsync();
        a.connect().get(10, TimeUnit.SECONDS);
        b.connect().get(10, TimeUnit.SECONDS);
        try {
            byte[] payload = new byte[messageBytes];
            java.util.Arrays.fill(payload, (byte) 'x');
            Percentiles p = roundTrips(a, b, MqttQos.AT_LEAST_ONCE, payload, roundTrips);
            Percentiles p0 = roundTrips(a, b, MqttQos.AT_MOST_ONCE, payload, roundTrips);
            Percentiles persistent = persistentRoundTrips(u, payload, roundTrips);

            AtomicLong received = new AtomicLong();
            b.subscribeWith().topicFilter("ref/flood").qos(MqttQos.AT_LEAST_ONCE).callback(m -> received.incrementAndGet())
                    .send().get(10, TimeUnit.SECONDS);
            Semaphore inFlight = new Semaphore(64);
            long end = System.nanoTime() + (long) (throughputSeconds * 1e9);
            long startCount = received.get();
            long t0 = System.nanoTime();
            while (System.nanoTime() < end) {
                inFlight.acquire();
                a.publishWith().topic("ref/flood").qos(MqttQos.AT_LEAST_ONCE).payload(payload).send()
                        .whenComplete((r, e) -> inFlight.release());
            }
            double seconds = (System.nanoTime() - t0) / 1e9;
            double rate = (received.get() - startCount) / seconds;
            return new Result(messageBytes, p.at(50) / 1000.0, p.at(99) / 1000.0, Math.round(rate),
                    p0.at(50) / 1000.0, p0.at(99) / 1000.0, persistent.at(50) / 1000.0, persistent.at(99) / 1000.0);
        } finally {
            a.disconnect();
            b.disconnect();
        }
    }

    /** QoS 1 round trips between two clients whose sessions the broker keeps (as the backend's and the cars'). */
    private static Percentiles persistentRoundTrips(URI u, byte[] payload, int roundTrips) throws Exception {
        Mqtt5AsyncClient c = Mqtt5Client.builder().identifier("ref-c").serverHost(u.getHost()).serverPort(u.getPort()).buildAsync();
        Mqtt5AsyncClient d = Mqtt5Client.builder().identifier("ref-d").serverHost(u.getHost()).serverPort(u.getPort()).buildAsync();
        c.connectWith().cleanStart(false).sessionExpiryInterval(300).send().get(10, TimeUnit.SECONDS);
        d.connectWith().cleanStart(false).sessionExpiryInterval(300).send().get(10, TimeUnit.SECONDS);
        try {
            return roundTrips(c, d, MqttQos.AT_LEAST_ONCE, payload, roundTrips, "ref/persistent-");
        } finally {
            // end the sessions with the connections: nothing is left on the broker for the benchmark
            c.disconnectWith().sessionExpiryInterval(0).send();
            d.disconnectWith().sessionExpiryInterval(0).send();
        }
    }

    /** Sequential round trips at {@code qos} (after 50 not counted), on topics of their own. */
    private static Percentiles roundTrips(Mqtt5AsyncClient a, Mqtt5AsyncClient b, MqttQos qos, byte[] payload,
                                          int roundTrips) throws Exception {
        return roundTrips(a, b, qos, payload, roundTrips, "ref/");
    }

    private static Percentiles roundTrips(Mqtt5AsyncClient a, Mqtt5AsyncClient b, MqttQos qos, byte[] payload,
                                          int roundTrips, String prefix) throws Exception {
        String ping = prefix + "ping-" + qos.getCode();
        String pong = prefix + "pong-" + qos.getCode();
        AtomicReference<CompletableFuture<Void>> echo = new AtomicReference<>();
        b.subscribeWith().topicFilter(ping).qos(MqttQos.AT_LEAST_ONCE)
                .callback(m -> b.publishWith().topic(pong).qos(qos).payload(m.getPayloadAsBytes()).send())
                .send().get(10, TimeUnit.SECONDS);
        a.subscribeWith().topicFilter(pong).qos(MqttQos.AT_LEAST_ONCE)
                .callback(m -> {
                    CompletableFuture<Void> f = echo.get();
                    if (f != null) {
                        f.complete(null);
                    }
                }).send().get(10, TimeUnit.SECONDS);
        long[] micros = new long[roundTrips];
        for (int i = -50; i < roundTrips; i++) {
            CompletableFuture<Void> f = new CompletableFuture<>();
            echo.set(f);
            long t0 = System.nanoTime();
            a.publishWith().topic(ping).qos(qos).payload(payload).send();
            f.get(10, TimeUnit.SECONDS);
            if (i >= 0) {
                micros[i] = (System.nanoTime() - t0) / 1_000;
            }
        }
        return new Percentiles(micros);
    }
}
