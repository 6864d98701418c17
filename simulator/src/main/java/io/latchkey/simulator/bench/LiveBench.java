package io.latchkey.simulator.bench;

import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5Client;
import io.latchkey.protocol.Channel;
import io.latchkey.protocol.Json;
import io.latchkey.protocol.LockState;
import io.latchkey.protocol.Topic;
import io.latchkey.protocol.telemetry.TelemetryBatch;
import io.latchkey.protocol.telemetry.TelemetryRecord;
import io.latchkey.simulator.api.ApiTypes.CarDetail;
import io.latchkey.simulator.api.LatchkeyClient;
import io.latchkey.simulator.scenario.FleetSetup;
import io.latchkey.simulator.scenario.Percentiles;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@code sim bench-live}: the fleet view and the live stream under a reporting fleet. Starts a broker and the real
 * backend as child processes (as {@code sim bench}), registers the cars through the API, and lets light MQTT senders
 * report one telemetry record per car every {@code reportMillis} (device timestamp = the publish moment). Then:
 * <ol>
 *   <li>the fleet call: {@code GET /t/{tenant}/fleet?size=1000} and, interleaved as the reference measured in the
 *       same run, {@code GET /health}, sequentially, p50/p99 of each;</li>
 *   <li>fan-out: {@code streams} operator streams open while the cars report; for each state or position event, the
 *       delay from the record's device timestamp to its arrival at the stream (same machine, same clock).</li>
 * </ol>
 */
public final class LiveBench {
    /** @param reportMillis interval between two records of one car */
    public record Options(Path cloudApiTarget, Path workDir, int cars, int streams, long reportMillis, int fleetSeconds,
                          int streamSeconds, String backendHeap) {
    }

    private final Options o;
    private final PrintStream out;
    private final Map<String, Object> results = new LinkedHashMap<>();

    public LiveBench(Options options, PrintStream out) {
        this.o = options;
        this.out = out;
    }

    public Map<String, Object> run() throws Exception {
        Files.createDirectories(o.workDir());
        String adminPassword = password();
        Path backendData = o.workDir().resolve("backend-data");
        out.printf("work directory %s (logs: broker.log, backend.log)%n", o.workDir());
        results.put("cars", o.cars());
        results.put("machine", Runtime.getRuntime().availableProcessors() + " cores, java " + Runtime.version());
        try (BrokerProcess broker = new BrokerProcess(freePort(), o.workDir().resolve("broker"), o.workDir().resolve("broker.log"));
             BackendProcess backend = new BackendProcess(o.cloudApiTarget(), freePort(), broker.url(), backendData, adminPassword,
                     Duration.ofSeconds(10), o.backendHeap(), List.of(), o.workDir().resolve("backend.log"))) {
            LatchkeyClient api = new LatchkeyClient(backend.url(), Duration.ofSeconds(60));
            FleetSetup.Result world = new FleetSetup(api, Clock.systemUTC(), out).run("admin", adminPassword, "live", o.cars(), 0);
            String token = world.operator().token();
            HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            try (Reporters reporters = new Reporters(broker.url(), world.tenant(), world.cars(), o.reportMillis())) {
                reporters.start();
                Thread.sleep(Math.max(2_000, 2 * o.reportMillis()));
                fleetCall(http, backend.url(), world.tenant(), token);
                fanOut(http, backend.url(), world.tenant(), token, reporters);
                results.put("records published", reporters.published.get());
            }
        }
        return results;
    }

    private void fleetCall(HttpClient http, String base, String tenant, String token) throws Exception {
        out.printf("fleet call: GET /t/%s/fleet?size=1000 and GET /health, interleaved, for %d s%n", tenant, o.fleetSeconds());
        HttpRequest fleet = HttpRequest.newBuilder(URI.create(base + "/t/" + tenant + "/fleet?size=1000"))
                .header("Authorization", "Bearer " + token).GET().build();
        HttpRequest health = HttpRequest.newBuilder(URI.create(base + "/health")).GET().build();
        for (int i = 0; i < 50; i++) {
            check(http.send(fleet, HttpResponse.BodyHandlers.ofString()), tenant);
            http.send(health, HttpResponse.BodyHandlers.discarding());
        }
        List<Long> fleetNanos = new ArrayList<>();
        List<Long> healthNanos = new ArrayList<>();
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(o.fleetSeconds());
        int items = 0;
        while (System.nanoTime() < end) {
            long t0 = System.nanoTime();
            HttpResponse<String> r = http.send(fleet, HttpResponse.BodyHandlers.ofString());
            fleetNanos.add(System.nanoTime() - t0);
            items = check(r, tenant);
            t0 = System.nanoTime();
            http.send(health, HttpResponse.BodyHandlers.discarding());
            healthNanos.add(System.nanoTime() - t0);
            Thread.sleep(20);
        }
        Percentiles f = new Percentiles(fleetNanos.stream().mapToLong(Long::longValue).toArray());
        Percentiles h = new Percentiles(healthNanos.stream().mapToLong(Long::longValue).toArray());
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("calls", f.count());
        r.put("cars in the answer", items);
        r.put("fleet p50 / p99 / max ms", ms(f.at(50)) + " / " + ms(f.at(99)) + " / " + ms(f.max()));
        r.put("reference GET /health p50 / p99 ms", ms(h.at(50)) + " / " + ms(h.at(99)));
        r.put("fleet p99 <= 50 ms", f.at(99) <= TimeUnit.MILLISECONDS.toNanos(50));
        results.put("fleet call", r);
        out.println("  " + r);
    }

    private static long latestEventId(HttpClient http, String base, String tenant, String token) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base + "/t/" + tenant + "/fleet?size=1"))
                .header("Authorization", "Bearer " + token).GET().build(), HttpResponse.BodyHandlers.ofString());
        check(r, tenant);
        return Long.parseLong(Json.mapper().readTree(r.body()).path("latestEventId").asText());
    }

    private static int check(HttpResponse<String> r, String tenant) {
        if (r.statusCode() != 200) {
            throw new IllegalStateException("GET /t/" + tenant + "/fleet: " + r.statusCode() + " " + r.body());
        }
        try {
            return Json.mapper().readTree(r.body()).path("items").size();
        } catch (IOException e) {
            throw new IllegalStateException("GET /t/" + tenant + "/fleet: not JSON", e);
        }
    }

    private void fanOut(HttpClient http, String base, String tenant, String token, Reporters reporters) throws Exception {
        out.printf("fan-out: %d operator streams for %d s while %d cars report every %d ms%n", o.streams(), o.streamSeconds(),
                o.cars(), o.reportMillis());
        ConcurrentLinkedQueue<Long> delaysMicros = new ConcurrentLinkedQueue<>();
        AtomicLong events = new AtomicLong();
        AtomicLong resets = new AtomicLong();
        List<InputStream> bodies = new ArrayList<>();
        List<Thread> readers = new ArrayList<>();
        HttpRequest stream = HttpRequest.newBuilder(URI.create(base + "/t/" + tenant + "/fleet/stream"))
                .header("Authorization", "Bearer " + token).header("Accept", "text/event-stream").GET().build();
        for (int s = 0; s < o.streams(); s++) {
            HttpResponse<InputStream> r = http.send(stream, HttpResponse.BodyHandlers.ofInputStream());
            if (r.statusCode() != 200) {
                throw new IllegalStateException("GET /fleet/stream: " + r.statusCode());
            }
            bodies.add(r.body());
            Thread t = new Thread(() -> read(r.body(), delaysMicros, events, resets), "live-bench-stream-" + s);
            t.setDaemon(true);
            t.start();
            readers.add(t);
        }
        Thread.sleep(2_000);
        delaysMicros.clear();
        events.set(0);
        long firstId = latestEventId(http, base, tenant, token);
        long firstPublished = reporters.published.get();
        long t0 = System.nanoTime();
        Thread.sleep(TimeUnit.SECONDS.toMillis(o.streamSeconds()));
        double seconds = (System.nanoTime() - t0) / 1e9;
        // live event ids step by 1024 (the lowest 10 bits tag the replica, docs/api.md "fleet/stream")
        long published = (latestEventId(http, base, tenant, token) - firstId) / 1024;
        long sent = reporters.published.get() - firstPublished;
        for (InputStream b : bodies) {
            b.close();
        }
        Percentiles d = new Percentiles(delaysMicros.stream().mapToLong(Long::longValue).toArray());
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("streams", o.streams());
        r.put("records sent per second", Math.round(sent / seconds));
        r.put("events published by the backend's feed per second (below the records sent: an ingestion backlog)",
                Math.round(published / seconds));
        r.put("events received (all streams)", events.get());
        r.put("events per stream per second", Math.round(events.get() / seconds / o.streams()));
        r.put("resets", resets.get());
        r.put("delay record -> operator event p50 / p99 / max ms", d.at(50) / 1000.0 + " / " + d.at(99) / 1000.0 + " / "
                + d.max() / 1000.0);
        results.put("stream fan-out", r);
        out.println("  " + r);
    }

    private static void read(InputStream body, ConcurrentLinkedQueue<Long> delaysMicros, AtomicLong events, AtomicLong resets) {
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8))) {
            String name = null;
            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                if (line.startsWith("event:")) {
                    name = line.substring(6).strip();
                } else if (line.startsWith("data:") && ("state".equals(name) || "position".equals(name))) {
                    Instant now = Instant.now();
                    // not a full parse: 50 readers in this process would compete with the backend for the CPU
                    int at = line.indexOf("\"recordedAt\":\"");
                    Instant recorded = Instant.parse(line.substring(at + 14, line.indexOf('"', at + 14)));
                    delaysMicros.add(Duration.between(recorded, now).toNanos() / 1000);
                    events.incrementAndGet();
                } else if (line.startsWith("data:") && "reset".equals(name)) {
                    resets.incrementAndGet();
                } else if (line.isEmpty()) {
                    name = null;
                }
            }
        } catch (IOException e) {
            // closed at the end of the phase
        }
    }

    /** Light senders: a few MQTT clients publishing one record per car per interval, spread over the interval. */
    private static final class Reporters implements AutoCloseable {
        private final String brokerUrl;
        private final String tenant;
        private final List<CarDetail> cars;
        private final long reportMillis;
        private final List<Mqtt5AsyncClient> clients = new ArrayList<>();
        private final ScheduledExecutorService timer = Executors.newScheduledThreadPool(2);
        private final Map<String, AtomicLong> seqs = new java.util.concurrent.ConcurrentHashMap<>();
        final AtomicLong published = new AtomicLong();

        Reporters(String brokerUrl, String tenant, List<CarDetail> cars, long reportMillis) {
            this.brokerUrl = brokerUrl;
            this.tenant = tenant;
            this.cars = cars;
            this.reportMillis = reportMillis;
        }

        void start() throws Exception {
            URI u = URI.create(brokerUrl);
            for (int s = 0; s < 4; s++) {
                Mqtt5AsyncClient c = Mqtt5Client.builder().identifier("bench-live-" + s).serverHost(u.getHost())
                        .serverPort(u.getPort()).buildAsync();
                c.connectWith().cleanStart(true).send().get(30, TimeUnit.SECONDS);
                clients.add(c);
            }
            for (int i = 0; i < cars.size(); i++) {
                CarDetail car = cars.get(i);
                Mqtt5AsyncClient client = clients.get(i % clients.size());
                seqs.put(car.deviceId(), new AtomicLong());
                long offset = reportMillis * i / cars.size();
                double lat = 52.40 + (i % 40) * 0.005;
                double lon = 13.30 + (i / 40) * 0.005;
                timer.scheduleAtFixedRate(() -> report(client, car.deviceId(), lat, lon), offset, reportMillis, TimeUnit.MILLISECONDS);
            }
        }

        private void report(Mqtt5AsyncClient client, String deviceId, double lat, double lon) {
            long seq = seqs.get(deviceId).incrementAndGet();
            TelemetryRecord record = new TelemetryRecord(seq, Instant.now(), lat, lon, 0.0, 12_000.0, LockState.LOCKED, false,
                    false, 3, Map.of("Vehicle.Powertrain.FuelSystem.RelativeLevel", 50.0,
                    "Vehicle.LowVoltageBattery.CurrentVoltage", 12.6), "PERIODIC");
            client.publishWith().topic(Topic.of(tenant, deviceId, Channel.TELEMETRY).name()).qos(MqttQos.AT_LEAST_ONCE)
                    .payload(Json.write(new TelemetryBatch(deviceId, List.of(record)))).send();
            published.incrementAndGet();
        }

        @Override
        public void close() throws Exception {
            timer.shutdownNow();
            for (Mqtt5AsyncClient c : clients) {
                c.disconnect().get(10, TimeUnit.SECONDS);
            }
        }
    }

    private static String ms(long nanos) {
        return String.format(java.util.Locale.ROOT, "%.2f", nanos / 1e6);
    }

    private static int freePort() throws IOException {
        return io.latchkey.protocol.net.FreePorts.pick();
    }

    private static String password() {
        byte[] b = new byte[18];
        new SecureRandom().nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }
}
