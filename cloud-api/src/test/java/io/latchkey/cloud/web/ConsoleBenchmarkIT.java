package io.latchkey.cloud.web;

import static io.latchkey.cloud.it.CloudApp.expect;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5Client;
import io.latchkey.cloud.device.DeviceAuthorities;
import io.latchkey.cloud.it.Chromium;
import io.latchkey.cloud.it.CloudApp;
import io.latchkey.cloud.live.LiveState;
import io.latchkey.cloud.mqtt.MqttEndpoint;
import io.latchkey.protocol.Channel;
import io.latchkey.protocol.Json;
import io.latchkey.protocol.LockState;
import io.latchkey.protocol.Topic;
import io.latchkey.protocol.telemetry.TelemetryBatch;
import io.latchkey.protocol.telemetry.TelemetryRecord;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;

/**
 * Measurements for docs/benchmarks.md ("Console"), not a test: prints numbers, asserts none. Runs only with
 * {@code -Dbench.console=true}:
 * <pre>./mvnw -q -o -pl cloud-api -am verify -Dtest=none -Dsurefire.failIfNoSpecifiedTests=false -Dit.test=ConsoleBenchmarkIT -Dbench.console=true</pre>
 * The real backend in this JVM; cars registered through the API; their telemetry published by one MQTT client with a
 * platform service certificate on each car's device topic (what {@code TestDevice.overServiceIdentity} does, without
 * one connection per car: 5,000 device connections would measure the broker, not the console); Debian's Chromium
 * (headless, 1280 × 900, software rendering) signed in as an operator through the sign-in page.
 * <ol>
 * <li>first load with {@code bench.console.first} cars (1,000) parked: {@code loads} reloads of {@code #/map}, each
 * timed by the navigation entry and the marks fleet.js sets ({@code lk-fleet-loaded}, {@code lk-map-first-paint});</li>
 * <li>frame time with {@code bench.console.cars} (5,000) moving, each reporting a new position every
 * {@code bench.console.report-ms} (5,000 ms: the agent's moving interval): for {@code seconds} (10), the deltas between
 * animation frames (requestAnimationFrame), Chromium's long animation frames ({@code PerformanceObserver}
 * {@code long-animation-frame}), the map layer's own paint times and the stream events received; at the fitted view
 * (mostly count bubbles) and zoomed in three steps (single markers).</li>
 * </ol>
 */
class ConsoleBenchmarkIT {
    static final int FIRST = Integer.getInteger("bench.console.first", 1000);
    static final int CARS = Integer.getInteger("bench.console.cars", 5000);
    static final long REPORT_MS = Long.getLong("bench.console.report-ms", 5000);
    static final int LOADS = Integer.getInteger("bench.console.loads", 5);
    static final int SECONDS = Integer.getInteger("bench.console.seconds", 10);

    @TempDir
    Path dataDir;

    @Test
    void measure() throws Exception {
        assumeTrue(Boolean.getBoolean("bench.console"), "benchmark: run with -Dbench.console=true");
        Chromium.assumeInstalled();
        Map<String, Object> results = new LinkedHashMap<>();
        results.put("load average at start", loadAverage());
        try (CloudApp app = CloudApp.start(dataDir, Map.of("latchkey.live.snapshot-refresh", "2s"))) {
            String admin = app.tenantWithAdmin("acme");
            String operator = app.user("acme", admin, "olga@acme.test", "operator");
            long t0 = System.nanoTime();
            register(app, operator, 0, FIRST);
            results.put("register " + FIRST + " cars s", seconds(t0));
            try (Publisher cars = new Publisher(app, "acme")) {
                cars.reportAll(FIRST, false);
                cars.awaitStored(app, operator, FIRST);
                try (Chromium chrome = Chromium.desktop("console-bench", 1280, 900)) {
                    ChromeDriver browser = chrome.driver();
                    signIn(app, browser);
                    results.put("first load, " + FIRST + " cars", firstLoads(browser, FIRST));

                    t0 = System.nanoTime();
                    register(app, operator, FIRST, CARS);
                    results.put("register " + (CARS - FIRST) + " more cars s", seconds(t0));
                    cars.reportAll(CARS, false);
                    cars.awaitStored(app, operator, CARS);
                    results.put("first load, " + CARS + " cars", firstLoads(browser, CARS));
                    cars.move(CARS, REPORT_MS);
                    Thread.sleep(3_000);
                    results.put("frames, " + CARS + " cars moving, fitted view", frames(browser, cars, () -> latestEventId(app, operator)));
                    browser.executeScript("document.getElementById('fleet-map').focus();");
                    for (int i = 0; i < 3; i++) {
                        new org.openqa.selenium.interactions.Actions(browser).sendKeys(org.openqa.selenium.Keys.ADD).perform();
                        Thread.sleep(500);
                    }
                    Thread.sleep(1_000);
                    results.put("frames, " + CARS + " cars moving, zoomed in 3 steps", frames(browser, cars, () -> latestEventId(app, operator)));
                    results.put("records published", cars.published.get());
                }
            }
        }
        results.put("load average at end", loadAverage());
        String json = Json.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(results);
        System.out.println("ConsoleBenchmarkIT:\n" + json);
        Files.writeString(Path.of("target", "console-bench.json"), json);
    }

    static void signIn(CloudApp app, ChromeDriver browser) {
        browser.get(app.baseUri() + "/t/acme/console/");
        var wait = new org.openqa.selenium.support.ui.WebDriverWait(browser, Duration.ofSeconds(30));
        wait.until(ExpectedConditions.elementToBeClickable(By.id("sign-in"))).click();
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("email"))).sendKeys("olga@acme.test");
        browser.findElement(By.id("password")).sendKeys(CloudApp.PASSWORD);
        browser.findElement(By.cssSelector("button[type=submit]")).click();
        wait.until(ExpectedConditions.urlContains("/console/"));
    }

    /** {@code loads} reloads of the map: navigation and the console's marks, medians and each run. */
    @SuppressWarnings("unchecked")
    static Map<String, Object> firstLoads(ChromeDriver browser, int expected) throws Exception {
        List<Map<String, Object>> runs = new ArrayList<>();
        Map<String, Object> cold = null;
        for (int i = 0; i <= LOADS; i++) {
            browser.navigate().refresh();
            long deadline = System.currentTimeMillis() + 60_000;
            Map<String, Object> run = null;
            while (System.currentTimeMillis() < deadline) {
                run = (Map<String, Object>) browser.executeScript("""
                        const mark = (n) => { const e = performance.getEntriesByName(n)[0]; return e ? e.startTime : null; };
                        const nav = performance.getEntriesByType('navigation')[0];
                        const cars = window.lkFleetMap ? window.lkFleetMap.markers.length
                          + window.lkFleetMap.clusters.reduce((s, c) => s + c.count, 0) : 0;
                        return {paint: mark('lk-map-first-paint'), fleet: mark('lk-fleet-loaded'),
                          domContentLoaded: nav ? nav.domContentLoadedEventEnd : null, load: nav ? nav.loadEventEnd : null, drawn: cars,
                          drawMs: window.lkFleetMap ? window.lkFleetMap.drawMs[0] : null};""");
                if (run.get("paint") != null) {
                    break;
                }
                Thread.sleep(50);
            }
            if (i > 0) {
                runs.add(run);
            } else {
                cold = run; // the first load warms the backend's and the browser's caches up: reported apart
            }
        }
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("loads", runs.size());
        r.put("expected cars", expected);
        r.put("median DOMContentLoaded ms", median(runs, "domContentLoaded"));
        r.put("median load event ms", median(runs, "load"));
        r.put("median fleet read (lk-fleet-loaded) ms", median(runs, "fleet"));
        r.put("median first map paint (lk-map-first-paint) ms", median(runs, "paint"));
        r.put("first (cold) load", cold);
        r.put("runs", runs);
        System.out.println("  first load: " + r);
        return r;
    }

    /** {@code SECONDS} of frames: rAF deltas, Chromium's long animation frames, the layer's paints, events received. */
    @SuppressWarnings("unchecked")
    static Map<String, Object> frames(ChromeDriver browser, Publisher cars, java.util.function.LongSupplier feed) {
        browser.manage().timeouts().scriptTimeout(Duration.ofSeconds(SECONDS + 30L));
        long before = cars.published.get();
        long feedBefore = feed.getAsLong();
        Map<String, Object> m = (Map<String, Object>) browser.executeAsyncScript("""
                const done = arguments[arguments.length - 1];
                const seconds = arguments[0];
                const deltas = [];
                const long = [];
                let observer = null;
                try {
                  observer = new PerformanceObserver((list) => { for (const e of list.getEntries()) long.push(e.duration); });
                  observer.observe({type: 'long-animation-frame', buffered: false});
                } catch (e) { observer = null; }
                const paints0 = window.lkFleetMap.paints;
                const received0 = window.lkFleetMap.received;
                const draws0 = window.lkFleetMap.drawMs.length;
                let last = null;
                const end = performance.now() + seconds * 1000;
                function tick(t) {
                  if (last !== null) deltas.push(t - last);
                  last = t;
                  if (t < end) requestAnimationFrame(tick);
                  else {
                    if (observer) observer.disconnect();
                    const snap = window.lkFleetMap;
                    done({deltas, long, loafSupported: observer !== null, paints: snap.paints - paints0,
                      received: snap.received - received0, drawMs: snap.drawMs.slice(-Math.min(snap.drawMs.length, snap.paints - paints0)),
                      markers: snap.markers.length, clusters: snap.clusters.length, zoom: snap.zoom});
                  }
                }
                requestAnimationFrame(tick);""", SECONDS);
        long published = cars.published.get() - before;
        long fed = feed.getAsLong() - feedBefore;
        double[] deltas = ((List<Number>) m.get("deltas")).stream().mapToDouble(Number::doubleValue).sorted().toArray();
        double[] draws = ((List<Number>) m.get("drawMs")).stream().mapToDouble(Number::doubleValue).sorted().toArray();
        double[] loaf = ((List<Number>) m.get("long")).stream().mapToDouble(Number::doubleValue).sorted().toArray();
        double total = Arrays.stream(deltas).sum();
        // a frame is dropped for every 16.7 ms vsync interval a delta spans beyond its first
        long dropped = Arrays.stream(deltas).mapToLong(d -> Math.max(0, Math.round(d / (1000.0 / 60)) - 1)).sum();
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("seconds", SECONDS);
        r.put("records published in the window", published);
        r.put("events on the backend's live feed in the window (below the records: an ingestion backlog)", fed);
        r.put("stream messages the page received in the window", m.get("received"));
        r.put("frames", deltas.length);
        r.put("frames per second", round(deltas.length / (total / 1000)));
        r.put("frame time median / p95 / p99 / max ms", round(pct(deltas, 50)) + " / " + round(pct(deltas, 95)) + " / "
                + round(pct(deltas, 99)) + " / " + round(deltas.length == 0 ? 0 : deltas[deltas.length - 1]));
        r.put("fluid (p95 <= 33 ms)", pct(deltas, 95) <= 33);
        r.put("dropped frames (at 60 Hz)", dropped);
        r.put("long animation frames (> 50 ms, Chromium)", m.get("loafSupported").equals(Boolean.TRUE) ? loaf.length : "not supported");
        r.put("long animation frame max ms", loaf.length == 0 ? 0 : round(loaf[loaf.length - 1]));
        r.put("map paints", m.get("paints"));
        r.put("paint median / p95 / max ms", round(pct(draws, 50)) + " / " + round(pct(draws, 95)) + " / "
                + round(draws.length == 0 ? 0 : draws[draws.length - 1]));
        r.put("drawn markers / bubbles, zoom", m.get("markers") + " / " + m.get("clusters") + ", " + m.get("zoom"));
        System.out.println("  frames: " + r);
        return r;
    }

    /** The tenant's latest live event id: ids increase by one per event, so a difference counts the feed's events. */
    static long latestEventId(CloudApp app, String operator) {
        return Long.parseLong(expect(200, app.http.get("/t/acme/fleet?size=1", operator)).text("latestEventId"));
    }

    static void register(CloudApp app, String operator, int from, int to) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> all = new ArrayList<>();
            for (int i = from; i < to; i++) {
                String id = carId(i);
                all.add(pool.submit(() -> expect(201, app.http.postJson("/t/acme/cars", operator,
                        Map.of("id", id, "name", "Car " + id, "plate", "B-LK " + id.substring(4), "deviceId", "dev-" + id)))));
            }
            for (Future<?> f : all) {
                f.get(5, TimeUnit.MINUTES);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    static String carId(int i) {
        return String.format(Locale.ROOT, "car-%05d", i);
    }

    /** Cars on a grid over about 30 × 20 km around Berlin; each moving on its own small circle. */
    static double[] position(int i, double t) {
        double lat = 52.40 + (i % 80) * 0.0025 + 0.002 * Math.sin(t + i);
        double lon = 13.20 + (i / 80) * 0.0070 + 0.003 * Math.cos(t + i);
        return new double[] {lat, lon};
    }

    /**
     * One MQTT client with a platform service certificate, publishing each car's telemetry on its device's topic
     * (the backend stores it and publishes it on the live feed as from the car itself).
     */
    static final class Publisher implements AutoCloseable {
        final Mqtt5AsyncClient client;
        final String tenant;
        final AtomicLong published = new AtomicLong();
        final long[] seqs = new long[100_000];
        final ScheduledExecutorService timer = Executors.newScheduledThreadPool(2);

        Publisher(CloudApp app, String tenant) throws Exception {
            this.tenant = tenant;
            var authorities = app.context().getBean(DeviceAuthorities.class);
            var service = authorities.platform().issueService("bench-console", Duration.ofHours(2));
            URI url = URI.create(app.context().getBean(MqttEndpoint.class).backendUrl());
            java.security.KeyStore trust = java.security.KeyStore.getInstance("PKCS12");
            trust.load(null, null);
            trust.setCertificateEntry("platform-ca", authorities.platform().certificate());
            javax.net.ssl.TrustManagerFactory tmf = javax.net.ssl.TrustManagerFactory.getInstance(
                    javax.net.ssl.TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(trust);
            client = Mqtt5Client.builder().identifier("bench-console").serverHost(url.getHost()).serverPort(url.getPort())
                    .sslConfig().keyManagerFactory(service.tls().keyManagerFactory()).trustManagerFactory(tmf).applySslConfig()
                    .buildAsync();
            client.connect().get(15, TimeUnit.SECONDS);
        }

        synchronized void report(int i, boolean moving) {
            long seq = ++seqs[i];
            double[] p = position(i, System.nanoTime() / 1e9 / 60 * 2 * Math.PI);
            String device = "dev-" + carId(i);
            TelemetryRecord record = new TelemetryRecord(seq, Instant.now(), p[0], p[1], moving ? 30.0 : 0.0, 1000.0 + seq,
                    LockState.LOCKED, false, moving, 3, Map.of(LiveState.Readings.FUEL, 20.0 + i % 70,
                    LiveState.Readings.VOLTAGE, 12.5), "PERIODIC");
            client.publishWith().topic(Topic.of(tenant, device, Channel.TELEMETRY).name()).qos(MqttQos.AT_LEAST_ONCE)
                    .payload(Json.write(new TelemetryBatch(device, List.of(record)))).send();
            published.incrementAndGet();
        }

        void reportAll(int cars, boolean moving) {
            for (int i = 0; i < cars; i++) {
                report(i, moving);
            }
        }

        /** Until the fleet view shows every car with a position. */
        void awaitStored(CloudApp app, String operator, int cars) throws InterruptedException {
            long deadline = System.currentTimeMillis() + 120_000;
            while (System.currentTimeMillis() < deadline) {
                int placed = 0;
                for (int page = 0; page * 1000 < cars; page++) {
                    var items = expect(200, app.http.get("/t/acme/fleet?size=1000&page=" + page, operator)).json().path("items");
                    for (var item : items) {
                        placed += item.path("lat").isNumber() ? 1 : 0;
                    }
                }
                if (placed >= cars) {
                    return;
                }
                Thread.sleep(500);
            }
            throw new IllegalStateException("not every car's position was stored in time");
        }

        /** Every car reports once per {@code everyMs}, the reports spread evenly over the interval. */
        void move(int cars, long everyMs) {
            for (int i = 0; i < cars; i++) {
                int car = i;
                timer.scheduleAtFixedRate(() -> report(car, true), everyMs * i / cars, everyMs, TimeUnit.MILLISECONDS);
            }
        }

        @Override
        public void close() throws Exception {
            timer.shutdownNow();
            client.disconnect().get(10, TimeUnit.SECONDS);
        }
    }

    static Object median(List<Map<String, Object>> runs, String key) {
        double[] v = runs.stream().map(r -> r.get(key)).filter(o -> o instanceof Number).mapToDouble(o -> ((Number) o).doubleValue())
                .sorted().toArray();
        return v.length == 0 ? null : round(pct(v, 50));
    }

    static double pct(double[] sorted, double p) {
        if (sorted.length == 0) {
            return 0;
        }
        int i = (int) Math.ceil(p / 100 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, i))];
    }

    static double round(double v) {
        return Math.round(v * 10) / 10.0;
    }

    static String seconds(long t0) {
        return String.format(Locale.ROOT, "%.1f", (System.nanoTime() - t0) / 1e9);
    }

    static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).strip();
        } catch (java.io.IOException e) {
            return "unknown";
        }
    }
}
