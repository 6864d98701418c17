package io.latchkey.cloud.fleet;

import static io.latchkey.cloud.it.CloudApp.expect;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.latchkey.cloud.it.CloudApp;
import io.latchkey.cloud.it.SseStream;
import io.latchkey.cloud.it.TestDevice;
import io.latchkey.cloud.live.LiveState;
import io.latchkey.protocol.Channel;
import io.latchkey.protocol.Json;
import io.latchkey.protocol.LockState;
import io.latchkey.protocol.telemetry.DeviceEvent;
import io.latchkey.protocol.telemetry.TelemetryRecord;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The fleet view and the live stream against the real backend, with state driven by enrolled test devices
 * publishing telemetry, device state and device events over MQTT, and the stream read over HTTP as a browser
 * would (java.net.http, line by line).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class FleetIT {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final int QUEUE = 20;

    @TempDir
    static Path dataDir;
    CloudApp app;
    String admin;
    String operator;
    String bob;
    String eve;
    String foreignAdmin;
    final Map<String, TestDevice> devices = new HashMap<>();
    final Map<String, AtomicLong> seqs = new HashMap<>();

    @BeforeAll
    void start() throws Exception {
        app = CloudApp.start(dataDir, Map.of("latchkey.live.snapshot-refresh", "100ms",
                "latchkey.live.connection-queue", Integer.toString(QUEUE), "latchkey.live.replay-events", "100",
                "latchkey.live.keep-alive", "1s", "latchkey.live.access-recheck", "0s",
                // a fixed, small kernel send buffer: a client that stops reading stalls the connection after a few kB
                // instead of the megabytes Linux's autotuning would take on loopback
                "micronaut.server.netty.child-options.SO_SNDBUF", "4096"));
        admin = app.tenantWithAdmin("acme");
        operator = app.user("acme", admin, "olga@acme.test", "operator");
        bob = app.user("acme", admin, "bob@acme.test", "borrower");
        eve = app.user("acme", admin, "eve@acme.test", "borrower");
        JsonNode discovery = expect(200, app.http.get("/t/acme/.well-known/latchkey-device", null)).json();
        for (int i = 1; i <= 3; i++) {
            app.car("acme", operator, "car-" + i, "dev-00" + i);
            devices.put("car-" + i, new TestDevice(app, "acme", "dev-00" + i, TestDevice.keys(discovery), Clock.systemUTC()));
            seqs.put("car-" + i, new AtomicLong());
        }
        foreignAdmin = app.tenantWithAdmin("beta");
    }

    @AfterAll
    void stop() throws Exception {
        for (TestDevice d : devices.values()) {
            d.close();
        }
        if (app != null) {
            app.close();
        }
    }

    /** Car {@code carId} reports one record at (lat, lon), with fuel and battery voltage readings. */
    private long report(String carId, double lat, double lon) throws Exception {
        long seq = seqs.get(carId).incrementAndGet();
        devices.get(carId).publishTelemetry(new TelemetryRecord(seq, Instant.now(), lat, lon, 0.0, 1000.0 + seq, LockState.LOCKED,
                false, false, 3, Map.of(LiveState.Readings.FUEL, 40.0 + seq % 10, LiveState.Readings.VOLTAGE, 12.4), "PERIODIC"));
        return seq;
    }

    private static boolean ofCar(SseStream.Received r, String carId) {
        return !r.name().equals("reset") && r.carId().equals(carId);
    }

    @Test
    void operatorStream_carriesStatePositionsAndEvents_ofEveryCar_inIdOrder() throws Exception {
        try (SseStream stream = SseStream.open(app, "/t/acme/fleet/stream", operator, null)) {
            assertThat(stream.status()).isEqualTo(200);
            report("car-1", 52.50, 13.40);
            SseStream.Received first = stream.next(r -> ofCar(r, "car-1"), WAIT);
            assertThat(first.json().path("state").path("lat").asDouble()).isEqualTo(52.50);
            assertThat(first.json().path("readings").path("fuelPercent").asDouble()).isGreaterThan(40.0);
            assertThat(first.json().path("source").asText()).isEqualTo("telemetry");
            report("car-2", 52.51, 13.41);
            SseStream.Received second = stream.next(r -> ofCar(r, "car-2"), WAIT);
            devices.get("car-3").publishRaw(Channel.EVENT, Json.write(new DeviceEvent("dev-003", "TAMPER", Instant.now(),
                    Map.of("source", "test"))));
            SseStream.Received tamper = stream.next(r -> ofCar(r, "car-3"), WAIT);
            assertThat(tamper.name()).isEqualTo("event");
            assertThat(tamper.json().path("type").asText()).isEqualTo("TAMPER");
            assertThat(tamper.json().path("source").asText()).isEqualTo("DEVICE");
            assertThat(tamper.json().path("alert").asBoolean()).isTrue();
            assertThat(tamper.json().path("id").asText()).startsWith("ev-");
            devices.get("car-2").publishState(false);
            SseStream.Received offline = stream.next(r -> ofCar(r, "car-2") && r.name().equals("state"), WAIT);
            assertThat(offline.json().path("state").path("online").asBoolean(true)).isFalse();
            devices.get("car-2").publishState(true);
            stream.next(r -> ofCar(r, "car-2") && r.json().path("state").path("online").asBoolean(), WAIT);
            assertThat(Long.parseLong(second.id())).isGreaterThan(Long.parseLong(first.id()));
            assertThat(Long.parseLong(tamper.id())).isGreaterThan(Long.parseLong(second.id()));
        }
    }

    @Test
    void aCommandsAnswer_movesTheLock_inTheStreamAndTheView() throws Exception {
        try (SseStream stream = SseStream.open(app, "/t/acme/fleet/stream?carId=car-3", operator, null)) {
            expect(200, app.http.postJson("/t/acme/cars/car-3/commands", operator, Map.of("type", "UNLOCK")));
            SseStream.Received unlocked = stream.next(r -> r.json().path("source").asText().equals("command"), WAIT);
            assertThat(unlocked.name()).isEqualTo("state");
            assertThat(unlocked.carId()).isEqualTo("car-3");
            assertThat(unlocked.json().path("state").path("lockState").asText()).isEqualTo("UNLOCKED");
            assertThat(expect(200, app.http.get("/t/acme/fleet?carId=car-3", operator)).json().path("items").path(0)
                    .path("lockState").asText()).isEqualTo("UNLOCKED");
            expect(200, app.http.postJson("/t/acme/cars/car-3/commands", operator, Map.of("type", "LOCK")));
            assertThat(stream.next(r -> r.json().path("source").asText().equals("command"), WAIT).json().path("state")
                    .path("lockState").asText()).isEqualTo("LOCKED");
            assertThat(stream.received()).extracting(SseStream.Received::carId).containsOnly("car-3");
        }
    }

    @Test
    void fleetView_showsEveryCarsLatestState_filtersAndPages_forOperatorsOnly() throws Exception {
        devices.get("car-2").publishRaw(Channel.EVENT, Json.write(new DeviceEvent("dev-002", "LOW_VOLTAGE", Instant.now(),
                Map.of("volts", "11.1"))));
        report("car-1", 52.52, 13.405);
        report("car-2", 48.14, 11.58);
        await().atMost(WAIT).untilAsserted(() -> {
            JsonNode items = expect(200, app.http.get("/t/acme/fleet?carId=car-", operator)).json().path("items");
            assertThat(items.path(0).path("lat").asDouble()).isEqualTo(52.52);
            assertThat(items.path(1).path("lat").asDouble()).isEqualTo(48.14);
        });
        JsonNode all = expect(200, app.http.get("/t/acme/fleet", operator)).json();
        assertThat(all.path("total").asInt()).isEqualTo(3);
        assertThat(all.path("items")).extracting(n -> n.path("id").asText()).containsExactly("car-1", "car-2", "car-3");
        JsonNode car1 = all.path("items").path(0);
        assertThat(car1.path("lat").asDouble()).isEqualTo(52.52);
        assertThat(car1.path("lockState").asText()).isEqualTo("LOCKED");
        assertThat(car1.path("batteryVoltage").asDouble()).isEqualTo(12.4);
        assertThat(car1.path("fuelPercent").asDouble()).isBetween(40.0, 50.0);
        assertThat(car1.path("online").asBoolean()).isTrue();
        assertThat(car1.path("openAlerts").asInt()).isZero();
        assertThat(all.path("latestEventId").asText()).matches("\\d+");

        JsonNode near = expect(200, app.http.get("/t/acme/fleet?near=52.52,13.40&radiusM=5000", operator)).json();
        assertThat(near.path("items")).extracting(n -> n.path("id").asText()).containsExactly("car-1");
        JsonNode page = expect(200, app.http.get("/t/acme/fleet?size=2&page=1", operator)).json();
        assertThat(page.path("items")).extracting(n -> n.path("id").asText()).containsExactly("car-3");
        assertThat(page.path("total").asInt()).isEqualTo(3);
        assertThat(expect(200, app.http.get("/t/acme/fleet?lock=unlocked", operator)).json().path("total").asInt()).isZero();
        await().atMost(WAIT).untilAsserted(() -> {
            JsonNode alerting = expect(200, app.http.get("/t/acme/fleet?alerts=true", operator)).json();
            assertThat(alerting.path("items")).extracting(n -> n.path("id").asText()).contains("car-2").doesNotContain("car-1");
            assertThat(alerting.path("items")).filteredOn(n -> n.path("id").asText().equals("car-2"))
                    .extracting(n -> n.path("openAlerts").asInt()).containsExactly(1);
        });

        Instant now = Instant.now();
        expect(201, app.http.postJson("/t/acme/bookings", bob, Map.of("carId", "car-3",
                "start", now.minusSeconds(60).toString(), "end", now.plus(Duration.ofHours(2)).toString())));
        await().atMost(WAIT).untilAsserted(() -> {
            JsonNode booked = expect(200, app.http.get("/t/acme/fleet?bookedNow=true", admin)).json();
            assertThat(booked.path("items")).extracting(n -> n.path("id").asText()).containsExactly("car-3");
            assertThat(booked.path("items").path(0).path("activeBooking").path("userId").asText()).isNotBlank();
            assertThat(booked.path("items").path(0).path("activeBooking").path("state").asText()).isEqualTo("CONFIRMED");
        });

        assertThat(app.http.get("/t/acme/fleet", bob).status()).isEqualTo(403);
        assertThat(app.http.get("/t/acme/fleet", foreignAdmin).status()).isIn(401, 403);
        for (String bad : List.of("size=0", "size=1001", "page=-1", "lock=OPEN", "near=52.5", "near=52.5,13.4",
                "radiusM=100", "near=91,13&radiusM=10", "near=52,13&radiusM=-1")) {
            var reply = app.http.get("/t/acme/fleet?" + bad, operator);
            assertThat(reply.status()).as(bad).isEqualTo(400);
            assertThat(reply.json().path("detail").asText()).as(bad).isNotBlank();
        }
    }

    @Test
    void fleetView_searchesNameOrPlate_andFindsLowFuelOrBattery() throws Exception {
        report("car-1", 52.52, 13.405);
        long seq = seqs.get("car-3").incrementAndGet();
        devices.get("car-3").publishTelemetry(new TelemetryRecord(seq, Instant.now(), 52.50, 13.41, 0.0, 900.0 + seq,
                LockState.LOCKED, false, false, 3, Map.of(LiveState.Readings.FUEL, 12.0, LiveState.Readings.VOLTAGE, 12.5),
                "PERIODIC"));
        await().atMost(WAIT).untilAsserted(() -> {
            JsonNode low = expect(200, app.http.get("/t/acme/fleet?low=true", operator)).json();
            assertThat(low.path("items")).extracting(n -> n.path("id").asText()).contains("car-3").doesNotContain("car-1");
            assertThat(low.path("items")).allSatisfy(n -> assertThat(n.path("fuelPercent").asDouble(100) < FleetView.LOW_PERCENT
                    || n.path("socPercent").asDouble(100) < FleetView.LOW_PERCENT
                    || n.path("batteryVoltage").asDouble(100) < FleetView.LOW_VOLTS).as(n.toString()).isTrue());
        });
        assertThat(expect(200, app.http.get("/t/acme/fleet?low=false", operator)).json().path("items"))
                .extracting(n -> n.path("id").asText()).contains("car-1").doesNotContain("car-3");

        String plate = expect(200, app.http.get("/t/acme/cars/car-2", operator)).text("plate");
        // the plate as typed on a keyboard: lower case, without its spaces and hyphens
        String typed = plate.toLowerCase(java.util.Locale.ROOT).replaceAll("[^a-z0-9]", "");
        for (String q : List.of(plate, typed, "car CAR-2")) {
            JsonNode found = expect(200, app.http.get("/t/acme/fleet?q=" + java.net.URLEncoder.encode(q,
                    java.nio.charset.StandardCharsets.UTF_8), operator)).json();
            assertThat(found.path("items")).as(q).extracting(n -> n.path("id").asText()).contains("car-2")
                    .doesNotContain("car-1", "car-3");
        }
        assertThat(expect(200, app.http.get("/t/acme/fleet?q=car-", operator)).json().path("total").asInt()).isEqualTo(3);
        assertThat(expect(200, app.http.get("/t/acme/fleet?q=zeppelin", operator)).json().path("total").asInt()).isZero();
        assertThat(expect(200, app.http.get("/t/acme/fleet?q=car-2&online=false", operator)).json().path("total").asInt()).isZero();
        for (String bad : List.of("q=" + "x".repeat(FleetView.MAX_QUERY + 1), "low=maybe", "online=yes", "alerts=1")) {
            var reply = app.http.get("/t/acme/fleet?" + bad, operator);
            assertThat(reply.status()).as(bad).isEqualTo(400);
        }
    }

    @Test
    void borrowerStream_showsOnlyTheCarTheirBookingCoversNow_andStopsWhenItEnds() throws Exception {
        String carol = app.user("acme", admin, "carol@acme.test", "borrower");
        Instant now = Instant.now();
        expect(201, app.http.postJson("/t/acme/bookings", carol, Map.of("carId", "car-2",
                "start", now.minusSeconds(60).toString(), "end", now.plusSeconds(6).toString())));
        try (SseStream borrower = SseStream.open(app, "/t/acme/fleet/stream", carol, null);
             SseStream operatorStream = SseStream.open(app, "/t/acme/fleet/stream", operator, null)) {
            assertThat(borrower.status()).isEqualTo(200);
            report("car-1", 52.1, 13.1);
            report("car-3", 52.3, 13.3);
            report("car-2", 52.2, 13.2);
            SseStream.Received seen = borrower.next(WAIT);
            assertThat(seen.carId()).isEqualTo("car-2");
            operatorStream.next(r -> ofCar(r, "car-2"), WAIT);
            await().atMost(WAIT).until(() -> Instant.now().isAfter(now.plusSeconds(6)));
            report("car-2", 52.25, 13.25);
            operatorStream.next(r -> ofCar(r, "car-2") && r.json().path("state").path("lat").asDouble() == 52.25, WAIT);
            Thread.sleep(500);
            assertThat(borrower.drain()).as("events after the booking ended, or of other cars").isEmpty();
            assertThat(borrower.received()).extracting(SseStream.Received::carId).containsOnly("car-2");
            assertThat(borrower.comments()).as("the silent stream stays open with keep-alives").contains("connected", "keep-alive");
            assertThat(borrower.ended()).isFalse();
        }
    }

    @Test
    void aBookingCancelledByAnOperator_stopsTheBorrowersFlow() throws Exception {
        String dan = app.user("acme", admin, "dan@acme.test", "borrower");
        Instant now = Instant.now();
        String booking = expect(201, app.http.postJson("/t/acme/bookings", dan, Map.of("carId", "car-1",
                "start", now.minusSeconds(30).toString(), "end", now.plus(Duration.ofMinutes(30)).toString()))).text("id");
        try (SseStream borrower = SseStream.open(app, "/t/acme/fleet/stream", dan, null);
             SseStream operatorStream = SseStream.open(app, "/t/acme/fleet/stream", operator, null)) {
            assertThat(borrower.status()).isEqualTo(200);
            report("car-1", 53.1, 13.1);
            assertThat(borrower.next(r -> ofCar(r, "car-1"), WAIT).json().path("state").path("lat").asDouble()).isEqualTo(53.1);
            expect(200, app.http.postJson("/t/acme/bookings/" + booking + "/cancel", operator, Map.of()));
            report("car-1", 53.2, 13.2);
            operatorStream.next(r -> ofCar(r, "car-1") && r.json().path("state").path("lat").asDouble() == 53.2, WAIT);
            Thread.sleep(500);
            assertThat(borrower.drain()).as("events after the booking was cancelled").isEmpty();
        }
    }

    @Test
    void borrowerWithoutBookingCoveringNow_isRefused_asIsAnotherTenantsToken() throws Exception {
        try (SseStream stream = SseStream.open(app, "/t/acme/fleet/stream", eve, null)) {
            assertThat(stream.status()).isEqualTo(403);
            assertThat(stream.body()).contains("no booking of yours covers now");
        }
        try (SseStream stream = SseStream.open(app, "/t/acme/fleet/stream?carId=car-1", eve, null)) {
            assertThat(stream.status()).isEqualTo(403);
        }
        try (SseStream stream = SseStream.open(app, "/t/acme/fleet/stream?carId=car-404", operator, null)) {
            assertThat(stream.status()).isEqualTo(404);
        }
        try (SseStream stream = SseStream.open(app, "/t/acme/fleet/stream", foreignAdmin, null)) {
            assertThat(stream.status()).isIn(401, 403);
        }
    }

    @Test
    void resumingWithLastEventId_replaysExactlyTheMissedEvents() throws Exception {
        try (SseStream witness = SseStream.open(app, "/t/acme/fleet/stream", operator, null)) {
            String lastSeen;
            try (SseStream first = SseStream.open(app, "/t/acme/fleet/stream", operator, null)) {
                report("car-1", 52.01, 13.01);
                lastSeen = first.next(r -> ofCar(r, "car-1") && r.json().path("state").path("lat").asDouble() == 52.01, WAIT).id();
            }
            witness.next(r -> lastSeen.equals(r.id()), WAIT);
            report("car-2", 52.02, 13.02);
            report("car-3", 52.03, 13.03);
            report("car-1", 52.04, 13.04);
            // three devices, three MQTT sessions: their records may be ingested in any order
            for (String car : List.of("car-2", "car-3", "car-1")) {
                double lat = car.equals("car-2") ? 52.02 : car.equals("car-3") ? 52.03 : 52.04;
                await().atMost(WAIT).until(() -> witness.received().stream()
                        .anyMatch(r -> ofCar(r, car) && r.json().path("state").path("lat").asDouble() == lat));
            }
            List<String> missed = witness.received().stream().map(SseStream.Received::id)
                    .filter(id -> Long.parseLong(id) > Long.parseLong(lastSeen)).toList();
            assertThat(missed).hasSizeGreaterThanOrEqualTo(3);
            try (SseStream resumed = SseStream.open(app, "/t/acme/fleet/stream", operator, lastSeen)) {
                assertThat(resumed.next(WAIT).id()).as("the first event after the one last seen")
                        .isEqualTo(Long.toString(Long.parseLong(lastSeen) + io.latchkey.cloud.live.LiveFeed.ID_STEP));
                List<String> replayed = new java.util.ArrayList<>(List.of(
                        Long.toString(Long.parseLong(lastSeen) + io.latchkey.cloud.live.LiveFeed.ID_STEP)));
                while (replayed.size() < missed.size()) {
                    replayed.add(resumed.next(WAIT).id());
                }
                assertThat(replayed).isEqualTo(missed);
                assertThat(resumed.received()).extracting(SseStream.Received::data)
                        .startsWith(witness.received().stream().filter(r -> missed.contains(r.id()))
                                .map(SseStream.Received::data).toArray(String[]::new));
            }
        }
    }

    @Test
    void resumingFromAnIdNoLongerKept_getsAResetToRefetchTheFleet() throws Exception {
        String old;
        try (SseStream first = SseStream.open(app, "/t/acme/fleet/stream", operator, null)) {
            report("car-3", 51.0, 12.0);
            old = first.next(r -> ofCar(r, "car-3"), WAIT).id();
            for (int i = 0; i < 105; i++) {
                report("car-3", 51.0 + i / 1000.0, 12.0);
            }
            first.next(r -> ofCar(r, "car-3") && r.json().path("state").path("lat").asDouble() == 51.104, WAIT);
        }
        try (SseStream resumed = SseStream.open(app, "/t/acme/fleet/stream", operator, old)) {
            SseStream.Received reset = resumed.next(WAIT);
            assertThat(reset.name()).isEqualTo("reset");
            assertThat(reset.json().path("fleet").asText()).isEqualTo("/t/acme/fleet");
            assertThat(Long.parseLong(reset.id())).isGreaterThan(Long.parseLong(old) + 100);
            report("car-3", 51.5, 12.5);
            assertThat(resumed.next(WAIT).json().path("state").path("lat").asDouble()).isEqualTo(51.5);
        }
        try (SseStream garbage = SseStream.open(app, "/t/acme/fleet/stream", operator, "not-an-id")) {
            assertThat(garbage.next(WAIT).name()).isEqualTo("reset");
        }
    }

    @Test
    void aClientThatDoesNotRead_isDropped_whileOthersKeepTheirStream() throws Exception {
        MeterRegistry meters = app.context().getBean(MeterRegistry.class);
        double droppedBefore = dropped(meters);
        URL base = app.context().getBean(io.micronaut.runtime.server.EmbeddedServer.class).getURL();
        try (Socket stalled = new Socket();
             SseStream reader = SseStream.open(app, "/t/acme/fleet/stream", operator, null)) {
            stalled.setReceiveBufferSize(1024);
            stalled.connect(new java.net.InetSocketAddress(base.getHost(), base.getPort()));
            OutputStream out = stalled.getOutputStream();
            out.write(("GET /t/acme/fleet/stream HTTP/1.1\r\nHost: localhost\r\nAccept: text/event-stream\r\nAuthorization: Bearer "
                    + operator + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            await().atMost(WAIT).until(() -> meters.get("latchkey.live.streams").gauge().value() == 2);
            int sent = 0;
            while (dropped(meters) == droppedBefore && sent < 3000) {
                report("car-1", 50 + (sent % 100) / 100.0, 10);
                sent++;
                if (sent % 50 == 0) {
                    // let ingestion and the reading stream keep pace, so that the events really were published
                    long seq = seqs.get("car-1").get();
                    reader.next(r -> ofCar(r, "car-1") && r.json().path("state").path("lastSeq").asLong() == seq, WAIT);
                }
            }
            assertThat(dropped(meters)).as("streams dropped after %d events", sent).isEqualTo(droppedBefore + 1);
            report("car-1", 49.5, 9.5);
            assertThat(reader.next(r -> ofCar(r, "car-1") && r.json().path("state").path("lat").asDouble() == 49.5, WAIT))
                    .isNotNull();
            assertThat(reader.ended()).isFalse();
        }
    }

    private static double dropped(MeterRegistry meters) {
        return meters.find("latchkey.live.dropped").counters().stream().mapToDouble(c -> c.count()).sum();
    }
}
