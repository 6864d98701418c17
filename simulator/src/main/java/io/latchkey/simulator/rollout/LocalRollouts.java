package io.latchkey.simulator.rollout;

import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5Client;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.latchkey.protocol.Channel;
import io.latchkey.protocol.Json;
import io.latchkey.protocol.MalformedMessageException;
import io.latchkey.protocol.Topic;
import io.latchkey.protocol.ota.OtaOffer;
import io.latchkey.protocol.ota.OtaState;
import io.latchkey.protocol.ota.OtaStatus;
import io.latchkey.protocol.ota.SignedOtaStatus;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;
import org.bouncycastle.crypto.params.ECPublicKeyParameters;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The simulator's stand-in for the backend's rollouts, for runs without a backend (and while the backend's API was not
 * there yet): it does what the operator API's contract says the backend does, on the broker itself. It serves the
 * bundle over HTTP with {@code Range} (counting the bytes each device fetched), publishes an {@link OtaOffer} on
 * {@code lk/{t}/{d}/ota} to each car of a wave, verifies every signed {@code ota-status}, lets a device that has not
 * finished within the device time-out fail as {@code TIMED_OUT}, halts when a wave's failures exceed the threshold,
 * and starts the next wave when one is done. Like the backend (which knows the bookings), it does not offer a release
 * to a car in an active rental ({@code SKIPPED}, reason {@code ACTIVE_RENTAL}).
 */
public final class LocalRollouts implements RolloutControl {
    private static final Logger LOG = LoggerFactory.getLogger(LocalRollouts.class);
    private static final long TICK_MS = 200;

    private final String tenant;
    private final String brokerUrl;
    private final Map<String, ECPublicKeyParameters> deviceKeys;
    private final Predicate<String> inRental;
    private final Clock clock;
    private final ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "local-rollouts");
        t.setDaemon(true);
        return t;
    });
    private final Map<String, AtomicLong> served = new ConcurrentHashMap<>();
    private final AtomicLong offerBytes = new AtomicLong();
    private final AtomicLong statusBytes = new AtomicLong();
    private HttpServer http;
    private Mqtt5AsyncClient mqtt;
    private Plan plan;
    private String rolloutId;
    private String state = "CREATED";
    private final List<List<String>> waves = new ArrayList<>();
    private final Map<String, Row> rows = new LinkedHashMap<>();
    private int wave = -1;

    private static final class Row {
        final String deviceId;
        final int wave;
        String state = "PENDING";
        String reason;
        String version;
        Instant at;
        long offeredNanos;

        Row(String deviceId, int wave) {
            this.deviceId = deviceId;
            this.wave = wave;
        }

        boolean isFinal() {
            return switch (state) {
                case "UPDATED", "FAILED", "ROLLED_BACK", "TIMED_OUT", "SKIPPED" -> true;
                default -> false;
            };
        }

        boolean isFailure() {
            return switch (state) {
                case "FAILED", "ROLLED_BACK", "TIMED_OUT" -> true;
                default -> false;
            };
        }
    }

    /**
     * @param deviceKeys every car's device public key (statuses are verified against it); the car id is the device id
     * @param inRental   whether a car is in an active rental now (it is skipped)
     */
    public LocalRollouts(String tenant, String brokerUrl, Map<String, ECPublicKeyParameters> deviceKeys, Predicate<String> inRental,
                         Clock clock) {
        this.tenant = tenant;
        this.brokerUrl = brokerUrl;
        this.deviceKeys = Map.copyOf(deviceKeys);
        this.inRental = inRental;
        this.clock = clock;
    }

    @Override
    public synchronized String start(Plan p) throws Exception {
        this.plan = p;
        this.rolloutId = "rollout-" + Long.toHexString(System.nanoTime());
        http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
        http.setExecutor(Executors.newFixedThreadPool(4, r -> {
            Thread t = new Thread(r, "local-rollouts-http");
            t.setDaemon(true);
            return t;
        }));
        http.createContext("/bundles/", this::serve);
        http.start();
        URI u = URI.create(brokerUrl);
        mqtt = Mqtt5Client.builder().identifier("sim-rollouts-" + Long.toHexString(System.nanoTime()))
                .serverHost(u.getHost()).serverPort(u.getPort()).automaticReconnectWithDefaultConfig().buildAsync();
        mqtt.connectWith().cleanStart(true).send().get(30, TimeUnit.SECONDS);
        mqtt.subscribeWith().topicFilter(Topic.ROOT + "/" + tenant + "/+/" + Channel.OTA_STATUS.segment()).qos(MqttQos.AT_LEAST_ONCE)
                .callback(this::status).send().get(30, TimeUnit.SECONDS);
        int n = p.carIds().size();
        int from = 0;
        for (int w = 0; w < p.waves().size(); w++) {
            int to = (int) Math.ceil(p.waves().get(w) * (double) n / 100.0);
            List<String> cars = p.carIds().subList(Math.min(from, n), Math.min(Math.max(to, from), n));
            waves.add(List.copyOf(cars));
            for (String id : cars) {
                rows.put(id, new Row(id, w));
            }
            from = Math.max(to, from);
        }
        state = "RUNNING";
        nextWave();
        ticker.scheduleWithFixedDelay(this::tick, TICK_MS, TICK_MS, TimeUnit.MILLISECONDS);
        return rolloutId;
    }

    private void nextWave() {
        wave++;
        if (wave >= waves.size()) {
            state = "COMPLETED";
            return;
        }
        for (String id : waves.get(wave)) {
            Row r = rows.get(id);
            if (inRental.test(id)) {
                r.state = "SKIPPED";
                r.reason = "ACTIVE_RENTAL";
                r.at = clock.instant();
                continue;
            }
            offer(r);
        }
    }

    private void offer(Row r) {
        SyntheticRelease.Bundle b = plan.bundle();
        String url = "http://127.0.0.1:" + http.getAddress().getPort() + "/bundles/" + b.file().getFileName() + "?d=" + r.deviceId;
        byte[] payload = Json.write(new OtaOffer(rolloutId, b.version(), url, b.size(), b.sha256(), b.manifest()));
        offerBytes.addAndGet(payload.length);
        r.state = "OFFERED";
        r.offeredNanos = System.nanoTime();
        r.at = clock.instant();
        mqtt.publishWith().topic(Topic.of(tenant, r.deviceId, Channel.OTA).name()).qos(MqttQos.AT_LEAST_ONCE).payload(payload).send();
    }

    private void status(Mqtt5Publish message) {
        Topic topic;
        try {
            topic = Topic.parse(message.getTopic().toString());
        } catch (RuntimeException e) {
            return;
        }
        byte[] bytes = message.getPayloadAsBytes();
        statusBytes.addAndGet(bytes.length);
        ECPublicKeyParameters key = deviceKeys.get(topic.deviceId());
        if (key == null) {
            return;
        }
        OtaStatus s;
        try {
            s = SignedOtaStatus.verify(bytes, key, tenant, topic.deviceId());
        } catch (MalformedMessageException e) {
            LOG.warn("{}: ota-status refused: {}", topic.deviceId(), e.getMessage());
            return;
        }
        synchronized (this) {
            Row r = rows.get(topic.deviceId());
            if (r == null || !rolloutId.equals(s.rolloutId()) || "PENDING".equals(r.state)) {
                return;
            }
            if (r.isFinal() && !(s.state() == OtaState.ROLLED_BACK && "TIMED_OUT".equals(r.state))) {
                return; // the first final state stands (a late roll-back of a timed-out device is still told)
            }
            r.state = s.state().name();
            r.reason = s.reason();
            r.version = s.running();
            r.at = s.at();
        }
    }

    private synchronized void tick() {
        if (!"RUNNING".equals(state)) {
            return;
        }
        long timeout = plan.deviceTimeout().toNanos();
        for (String id : waves.get(wave)) {
            Row r = rows.get(id);
            if (!r.isFinal() && r.offeredNanos > 0 && System.nanoTime() - r.offeredNanos > timeout) {
                r.state = "TIMED_OUT";
                r.reason = "no final status within " + plan.deviceTimeout();
                r.at = clock.instant();
            }
        }
        int offered = 0;
        int failed = 0;
        boolean done = true;
        for (String id : waves.get(wave)) {
            Row r = rows.get(id);
            if (!"SKIPPED".equals(r.state)) {
                offered++;
                failed += r.isFailure() ? 1 : 0;
            }
            done &= r.isFinal();
        }
        if (offered > 0 && failed * 100.0 / offered > plan.failureThreshold()) {
            state = "HALTED";
            LOG.info("rollout {} halted in wave {}: {} of {} failed", rolloutId, wave + 1, failed, offered);
            return;
        }
        if (done) {
            nextWave();
        }
    }

    private void serve(HttpExchange ex) throws IOException {
        try (ex) {
            String query = ex.getRequestURI().getQuery();
            String device = query != null && query.startsWith("d=") ? query.substring(2) : "?";
            byte[] all = Files.readAllBytes(plan.bundle().file());
            String path = ex.getRequestURI().getPath();
            if (!path.endsWith("/" + plan.bundle().file().getFileName())) {
                ex.sendResponseHeaders(404, -1);
                return;
            }
            long from = 0;
            String range = ex.getRequestHeaders().getFirst("Range");
            if (range != null && range.startsWith("bytes=") && range.endsWith("-")) {
                from = Long.parseLong(range.substring(6, range.length() - 1));
            }
            if (from >= all.length) {
                ex.getResponseHeaders().add("Content-Range", "bytes */" + all.length);
                ex.sendResponseHeaders(416, -1);
                return;
            }
            int len = all.length - (int) from;
            if (from > 0) {
                ex.getResponseHeaders().add("Content-Range", "bytes " + from + "-" + (all.length - 1) + "/" + all.length);
            }
            ex.getResponseHeaders().add("Accept-Ranges", "bytes");
            ex.sendResponseHeaders(from > 0 ? 206 : 200, len);
            try (InputStream ignored = ex.getRequestBody(); OutputStream out = ex.getResponseBody()) {
                out.write(all, (int) from, len);
            }
            served.computeIfAbsent(device, d -> new AtomicLong()).addAndGet(len);
        }
    }

    @Override
    public synchronized View view() {
        List<Wave> ws = new ArrayList<>();
        Map<String, Integer> total = new LinkedHashMap<>();
        for (int w = 0; w < waves.size(); w++) {
            Map<String, Integer> counts = new LinkedHashMap<>();
            for (String id : waves.get(w)) {
                counts.merge(rows.get(id).state, 1, Integer::sum);
                total.merge(rows.get(id).state, 1, Integer::sum);
            }
            String ws1 = w < wave ? "DONE" : w == wave ? ("HALTED".equals(state) ? "HALTED" : "RUNNING") : "PENDING";
            if ("COMPLETED".equals(state)) {
                ws1 = "DONE";
            }
            ws.add(new Wave(w, waves.get(w).size(), ws1, counts));
        }
        return new View(rolloutId, state, ws, total);
    }

    @Override
    public synchronized List<Device> devices() {
        return rows.values().stream().map(r -> new Device(r.deviceId, r.deviceId, r.wave, r.state, r.reason, r.version, r.at)).toList();
    }

    @Override
    public Map<String, Long> bytesServed() {
        Map<String, Long> m = new LinkedHashMap<>();
        served.forEach((k, v) -> m.put(k, v.get()));
        return m;
    }

    /** Bytes of all offers published and all statuses received (MQTT payloads). */
    public long[] messageBytes() {
        return new long[] {offerBytes.get(), statusBytes.get()};
    }

    @Override
    public void close() {
        ticker.shutdownNow();
        if (http != null) {
            http.stop(0);
            ((java.util.concurrent.ExecutorService) http.getExecutor()).shutdownNow();
        }
        if (mqtt != null) {
            mqtt.disconnect();
        }
    }
}
