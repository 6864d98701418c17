package io.latchkey.simulator.bench;

import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5Client;
import io.latchkey.simulator.scenario.Percentiles;
import java.net.URI;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The broker reference's round trip (A publishes QoS 1, B echoes it QoS 1, A receives), paced at the
 * command rate and running <em>while</em> the unlock load runs: the same machine, disk and broker at the
 * same moments as the unlocks. What this pair sees in its tail (other processes' CPU, GC, the broker's
 * own stalls) is the environment's share; what the unlocks see beyond it is the command path's.
 */
final class PairDuringLoad implements AutoCloseable {
    private final Mqtt5AsyncClient a;
    private final Mqtt5AsyncClient b;
    private final ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "pair-during-load");
        t.setDaemon(true);
        return t;
    });
    private final AtomicReference<CompletableFuture<Void>> echo = new AtomicReference<>();
    private final byte[] payload;
    private long[] micros = new long[1024];
    private int count;

    PairDuringLoad(String brokerUrl, int messageBytes) throws Exception {
        URI u = URI.create(brokerUrl);
        a = Mqtt5Client.builder().identifier("ref-load-a").serverHost(u.getHost()).serverPort(u.getPort()).buildAsync();
        b = Mqtt5Client.builder().identifier("ref-load-b").serverHost(u.getHost()).serverPort(u.getPort()).buildAsync();
        a.connect().get(10, TimeUnit.SECONDS);
        b.connect().get(10, TimeUnit.SECONDS);
        payload = new byte[messageBytes];
        Arrays.fill(payload, (byte) 'x');
        b.subscribeWith().topicFilter("ref/load-ping").qos(MqttQos.AT_LEAST_ONCE)
                .callback(p -> b.publishWith().topic("ref/load-pong").qos(MqttQos.AT_LEAST_ONCE).payload(p.getPayloadAsBytes()).send())
                .send().get(10, TimeUnit.SECONDS);
        a.subscribeWith().topicFilter("ref/load-pong").qos(MqttQos.AT_LEAST_ONCE)
                .callback(p -> {
                    CompletableFuture<Void> f = echo.get();
                    if (f != null) {
                        f.complete(null);
                    }
                }).send().get(10, TimeUnit.SECONDS);
    }

    /**
     * One sequential round trip every {@code 1 / perSecond} s until closed, half a period after each
     * command is sent, so that the pair does not queue behind the commands' own work.
     */
    void start(double perSecond) {
        long periodMicros = Math.max(2, (long) (1_000_000 / perSecond));
        ticker.scheduleAtFixedRate(this::roundTrip, periodMicros + periodMicros / 2, periodMicros, TimeUnit.MICROSECONDS);
    }

    private void roundTrip() {
        CompletableFuture<Void> f = new CompletableFuture<>();
        echo.set(f);
        long t0 = System.nanoTime();
        a.publishWith().topic("ref/load-ping").qos(MqttQos.AT_LEAST_ONCE).payload(payload).send();
        try {
            f.get(10, TimeUnit.SECONDS);
            record((System.nanoTime() - t0) / 1_000);
        } catch (Exception e) {
            // counted as missing: the report shows how many round trips were measured
        }
    }

    private synchronized void record(long roundTripMicros) {
        if (count == micros.length) {
            micros = Arrays.copyOf(micros, count * 2);
        }
        micros[count++] = roundTripMicros;
    }

    /** p50 / p99 / max of what the pair measured, and how many round trips. */
    synchronized String summary() {
        if (count == 0) {
            return "no round trips";
        }
        Percentiles p = new Percentiles(Arrays.copyOf(micros, count));
        return String.format("%.1f / %.1f / %.1f (%d round trips)", p.at(50) / 1000.0, p.at(99) / 1000.0,
                p.max() / 1000.0, count);
    }

    synchronized double p99Ms() {
        return count == 0 ? Double.NaN : new Percentiles(Arrays.copyOf(micros, count)).at(99) / 1000.0;
    }

    @Override
    public void close() {
        ticker.shutdownNow();
        try {
            ticker.awaitTermination(15, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        a.disconnect();
        b.disconnect();
    }
}
