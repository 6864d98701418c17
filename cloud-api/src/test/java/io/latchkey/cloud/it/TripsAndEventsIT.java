package io.latchkey.cloud.it;

import static io.latchkey.cloud.it.CloudApp.expect;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.latchkey.cloud.event.Events;
import io.latchkey.cloud.event.OfflineSweep;
import io.latchkey.cloud.telemetry.Trips;
import io.latchkey.protocol.Channel;
import io.latchkey.protocol.Json;
import io.latchkey.protocol.LockState;
import io.latchkey.protocol.telemetry.DeviceEvent;
import io.latchkey.protocol.telemetry.TelemetryRecord;
import java.nio.file.Path;
import java.security.PublicKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * Trips, events and alerts end to end: telemetry and events published as enrolled devices through the embedded
 * broker, read back over HTTP with real tokens; alert mail read from the outbox.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TripsAndEventsIT {
    static final String TENANT = "acme";
    static final String FUEL = "Vehicle.Powertrain.FuelSystem.RelativeLevel";
    static final Map<String, Object> CONFIG = Map.of("latchkey.events.sweep-interval", "1h");
    @TempDir
    static Path dataDir;
    CloudApp app;
    Map<String, PublicKey> keys;
    String admin;
    String operator;
    String borrower;
    String otherBorrower;
    String bookingId;
    Instant now;

    @BeforeAll
    void start() {
        app = CloudApp.start(dataDir, CONFIG);
        admin = app.tenantWithAdmin(TENANT);
        operator = app.user(TENANT, admin, "olga@acme.test", "operator");
        borrower = app.user(TENANT, admin, "bob@acme.test", "borrower");
        otherBorrower = app.user(TENANT, admin, "eve@acme.test", "borrower");
        for (int i = 1; i <= 5; i++) {
            app.car(TENANT, operator, "car-" + i, "dev-00" + i);
        }
        keys = TestDevice.keys(expect(200, app.http.get("/t/" + TENANT + "/.well-known/latchkey-device", null)).json());
        now = Instant.now();
        bookingId = expect(201, app.http.postJson("/t/acme/bookings", borrower, Map.of("carId", "car-1",
                "start", now.minusSeconds(60).toString(), "end", now.plus(Duration.ofHours(1)).toString()))).text("id");
    }

    @AfterAll
    void stop() {
        if (app != null) {
            app.close();
        }
    }

    TestDevice device(String deviceId) throws Exception {
        return new TestDevice(app, TENANT, deviceId, keys, Clock.systemUTC());
    }

    static TelemetryRecord rec(long seq, Instant time, double lat, double speed, double odometer, Boolean ignition, double fuel) {
        return new TelemetryRecord(seq, time, lat, 13.40, speed, odometer, LockState.UNLOCKED, false, ignition, 3,
                Map.of(FUEL, fuel), "PERIODIC");
    }

    /** Publishes a batch and waits for its receipt: then its trips are durable. */
    static void send(TestDevice device, TelemetryRecord... records) throws Exception {
        int before = device.receipts().size();
        device.publishTelemetry(records);
        await().atMost(Duration.ofSeconds(10)).until(() -> device.receipts().size() > before);
    }

    @Test
    @Order(1)
    void trips_areSegmentedFromTelemetry_onceDespiteRedelivery_andShownByWhoMaySeeThem() throws Exception {
        try (TestDevice car = device("dev-001")) {
            Instant before = now.minus(Duration.ofMinutes(30));
            // a trip before the booking: the borrower may not see it
            send(car, rec(1, before, 52.50, 0, 1000.0, true, 60), rec(2, before.plusSeconds(60), 52.51, 50, 1001.2, true, 59.5),
                    rec(3, before.plusSeconds(120), 52.52, 0, 1002.0, false, 59));
            // the borrower's trip, its middle batch delivered twice
            Instant t = now;
            send(car, rec(4, t, 52.52, 0, 1002.0, true, 59));
            TelemetryRecord[] middle = {rec(5, t.plusSeconds(60), 52.53, 60, 1003.1, true, 58.5),
                    rec(6, t.plusSeconds(120), 52.54, 72, 1004.4, true, 58)};
            send(car, middle);
            send(car, middle);
            send(car, rec(7, t.plusSeconds(180), 52.55, 0, 1005.5, false, 57.5));
            send(car, rec(7, t.plusSeconds(180), 52.55, 0, 1005.5, false, 57.5));
        }

        JsonNode all = expect(200, app.http.get("/t/acme/cars/car-1/trips", operator)).json();
        assertThat(all.path("trips")).hasSize(2);
        JsonNode trip = all.path("trips").get(0); // newest first
        assertThat(trip.path("id").asText()).isEqualTo("t-4");
        assertThat(trip.path("ongoing").asBoolean()).isFalse();
        assertThat(trip.path("endReason").asText()).isEqualTo("IGNITION_OFF");
        assertThat(trip.path("distanceKm").asDouble()).isEqualTo(3.5);
        assertThat(trip.path("gpsDistanceKm").asDouble()).isBetween(3.2, 3.4); // 0.03 degrees of latitude
        assertThat(trip.path("durationS").asLong()).isEqualTo(180);
        assertThat(trip.path("maxSpeedKmh").asDouble()).isEqualTo(72.0);
        assertThat(trip.path("fuelUsedPct").asDouble()).isEqualTo(1.5);
        assertThat(trip.path("records").asInt()).isEqualTo(4);
        assertThat(trip.has("path") && !trip.path("path").isNull()).as("listings carry no path").isFalse();
        assertThat(all.path("trips").get(1).path("id").asText()).isEqualTo("t-1");
        assertThat(all.path("next").isNull()).isTrue();

        // pages of one, and a time filter
        JsonNode first = expect(200, app.http.get("/t/acme/cars/car-1/trips?limit=1", operator)).json();
        assertThat(first.path("trips").get(0).path("id").asText()).isEqualTo("t-4");
        JsonNode second = expect(200, app.http.get("/t/acme/cars/car-1/trips?limit=1&cursor=" + first.path("next").asText(),
                operator)).json();
        assertThat(second.path("trips").get(0).path("id").asText()).isEqualTo("t-1");
        assertThat(second.path("next").isNull()).isTrue();
        JsonNode recent = expect(200, app.http.get("/t/acme/cars/car-1/trips?from=" + now.minusSeconds(5), operator)).json();
        assertThat(recent.path("trips").findValuesAsText("id")).containsExactly("t-4");

        // the path as GeoJSON, [lon, lat]
        JsonNode feature = expect(200, app.http.get("/t/acme/cars/car-1/trips/t-4", operator)).json();
        assertThat(feature.path("type").asText()).isEqualTo("Feature");
        assertThat(feature.path("geometry").path("type").asText()).isEqualTo("LineString");
        JsonNode coordinates = feature.path("geometry").path("coordinates");
        assertThat(coordinates).hasSize(4);
        assertThat(coordinates.get(0).get(0).asDouble()).isEqualTo(13.40);
        assertThat(coordinates.get(0).get(1).asDouble()).isEqualTo(52.52);
        assertThat(coordinates.get(3).get(1).asDouble()).isEqualTo(52.55);
        assertThat(feature.path("properties").path("distanceKm").asDouble()).isEqualTo(3.5);

        // the borrower sees the trip of their booking only
        JsonNode mine = expect(200, app.http.get("/t/acme/cars/car-1/trips", borrower)).json();
        assertThat(mine.path("trips").findValuesAsText("id")).containsExactly("t-4");
        expect(200, app.http.get("/t/acme/cars/car-1/trips/t-4", borrower));
        expect(403, app.http.get("/t/acme/cars/car-1/trips/t-1", borrower));
        expect(403, app.http.get("/t/acme/cars/car-1/trips", otherBorrower));
        expect(403, app.http.get("/t/acme/cars/car-1/trips/t-4", otherBorrower));

        JsonNode ofBooking = expect(200, app.http.get("/t/acme/bookings/" + bookingId + "/trips", borrower)).json();
        assertThat(ofBooking.path("carId").asText()).isEqualTo("car-1");
        assertThat(ofBooking.path("totals").path("count").asInt()).isEqualTo(1);
        assertThat(ofBooking.path("totals").path("distanceKm").asDouble()).isEqualTo(3.5);
        assertThat(ofBooking.path("totals").path("trips").findValuesAsText("id")).containsExactly("t-4");
        expect(200, app.http.get("/t/acme/bookings/" + bookingId + "/trips", operator));
        expect(403, app.http.get("/t/acme/bookings/" + bookingId + "/trips", otherBorrower));
        expect(404, app.http.get("/t/acme/bookings/b-0000000000000000/trips", operator));

        // announced once each to in-process listeners, despite the redelivered batches
        assertThat(app.context().getBean(RecordedNotices.class).trips).filteredOn(e -> e.trip().carId().equals("car-1"))
                .extracting(e -> e.trip().id()).containsExactly("t-1", "t-4");

        // what the receipt will use
        Trips.TripTotals totals = app.context().getBean(Trips.class).within(TENANT, "car-1", now.minusSeconds(3600), now.plusSeconds(3600));
        assertThat(totals.count()).isEqualTo(2);
        assertThat(totals.distanceKm()).isEqualTo(5.5);
        assertThat(totals.fuelUsedPct()).isEqualTo(2.5);
    }

    @Test
    @Order(2)
    void theCarsOwner_seesAllItsTrips_anotherOwnerNone() {
        String owner = app.user(TENANT, admin, "owen@acme.test", "owner");
        String otherOwner = app.user(TENANT, admin, "opal@acme.test", "owner");
        expect(403, app.http.get("/t/acme/cars/car-1/trips", owner));
        String ownerId = expect(200, app.http.get("/t/acme/users/me", owner)).text("id");
        expect(200, app.http.putJson("/t/acme/cars/car-1/owner", operator, Map.of("userId", ownerId)));
        assertThat(expect(200, app.http.get("/t/acme/cars/car-1/trips", owner)).json().path("trips").findValuesAsText("id"))
                .containsExactly("t-4", "t-1");
        expect(200, app.http.get("/t/acme/cars/car-1/trips/t-1", owner));
        expect(403, app.http.get("/t/acme/cars/car-1/trips", otherOwner));
        expect(403, app.http.get("/t/acme/cars/car-1/trips/t-1", otherOwner));
        expect(403, app.http.get("/t/acme/bookings/" + bookingId + "/trips", owner));
    }

    @Test
    @Order(2)
    void badTripRequests_areRefused() {
        assertThat(expect(404, app.http.get("/t/acme/cars/car-9/trips", operator)).json().path("detail").asText()).contains("car-9");
        expect(404, app.http.get("/t/acme/cars/car-1/trips/t-999", operator));
        expect(404, app.http.get("/t/acme/cars/car-1/trips/nonsense", operator));
        expect(400, app.http.get("/t/acme/cars/car-1/trips?from=yesterday", operator));
        expect(400, app.http.get("/t/acme/cars/car-1/trips?from=2026-05-02T00:00:00Z&to=2026-05-01T00:00:00Z", operator));
        expect(400, app.http.get("/t/acme/cars/car-1/trips?limit=0", operator));
        expect(400, app.http.get("/t/acme/cars/car-1/trips?limit=201", operator));
        expect(400, app.http.get("/t/acme/cars/car-1/trips?cursor=ev-1", operator));
    }

    @Test
    @Order(3)
    void deviceEvents_areStoredOnce_mailedOnceToOperators_andAcknowledgedOnce() throws Exception {
        Events events = app.context().getBean(Events.class);
        Instant at = Instant.now().minusSeconds(5);
        byte[] tamper = Json.write(new DeviceEvent("dev-002", "TAMPER", at, Map.of("signal", "obd-port")));
        byte[] voltageOk = Json.write(new DeviceEvent("dev-002", "VOLTAGE_OK", at.plusSeconds(1), Map.of("volts", "12.60")));
        try (TestDevice car = device("dev-002")) {
            car.publishRaw(Channel.EVENT, tamper);
            car.publishRaw(Channel.EVENT, tamper); // a redelivery
            car.publishRaw(Channel.EVENT, voltageOk);
            await().atMost(Duration.ofSeconds(10)).until(() -> expect(200, app.http.get("/t/acme/events?carId=car-2", operator))
                    .json().path("events").size() == 2);
        }
        JsonNode list = expect(200, app.http.get("/t/acme/events?carId=car-2", operator)).json();
        assertThat(list.path("events").findValuesAsText("type")).containsExactly("VOLTAGE_OK", "TAMPER");
        JsonNode event = list.path("events").get(1);
        String id = event.path("id").asText();
        assertThat(event.path("deviceId").asText()).isEqualTo("dev-002");
        assertThat(event.path("source").asText()).isEqualTo("DEVICE");
        assertThat(event.path("alert").asBoolean()).isTrue();
        assertThat(event.path("details").path("signal").asText()).isEqualTo("obd-port");
        assertThat(list.path("events").get(0).path("alert").asBoolean()).isFalse();
        assertThat(events.openAlertCounts(TENANT)).containsEntry("car-2", 1);
        assertThat(app.context().getBean(RecordedNotices.class).events).filteredOn(e -> e.event().carId().equals("car-2"))
                .extracting(e -> e.event().type()).containsExactlyInAnyOrder("TAMPER", "VOLTAGE_OK");

        // one mail per operator and tenant-admin, none to borrowers, no second one for the redelivery
        await().atMost(Duration.ofSeconds(5)).until(() -> Mailbox.messagesTo(dataDir, TENANT, "olga@acme.test").stream()
                .anyMatch(m -> m.path("body").asText().contains(id)));
        assertThat(alertsAbout(id, "olga@acme.test")).hasSize(1);
        assertThat(alertsAbout(id, "admin@acme.test")).hasSize(1);
        assertThat(alertsAbout(id, "bob@acme.test")).isEmpty();
        JsonNode mail = alertsAbout(id, "olga@acme.test").get(0);
        assertThat(mail.path("subject").asText()).contains("TAMPER").contains("car-2");
        assertThat(mail.path("kind").asText()).isEqualTo("operator-alert");

        // filters
        assertThat(expect(200, app.http.get("/t/acme/events?type=TAMPER&carId=car-2", operator)).json()
                .path("events").findValuesAsText("id")).containsExactly(id);
        assertThat(expect(200, app.http.get("/t/acme/events?carId=car-2&to=" + at.plusMillis(1), operator)).json()
                .path("events").findValuesAsText("id")).containsExactly(id);
        assertThat(expect(200, app.http.get("/t/acme/events?carId=car-2&from=" + at.plusMillis(1), operator)).json()
                .path("events").findValuesAsText("type")).containsExactly("VOLTAGE_OK");
        JsonNode page = expect(200, app.http.get("/t/acme/events?carId=car-2&limit=1", operator)).json();
        assertThat(page.path("events").findValuesAsText("type")).containsExactly("VOLTAGE_OK");
        assertThat(expect(200, app.http.get("/t/acme/events?carId=car-2&limit=1&cursor=" + page.path("next").asText(), operator))
                .json().path("events").findValuesAsText("id")).containsExactly(id);

        // acknowledge: who and when recorded, idempotent, audited
        expect(403, app.http.postJson("/t/acme/events/" + id + "/ack", borrower, Map.of()));
        expect(403, app.http.get("/t/acme/events", borrower));
        JsonNode acked = expect(200, app.http.postJson("/t/acme/events/" + id + "/ack", operator, Map.of())).json();
        String olgaId = expect(200, app.http.get("/t/acme/users/me", operator)).text("id");
        assertThat(acked.path("acknowledgedBy").asText()).isEqualTo(olgaId);
        JsonNode again = expect(200, app.http.postJson("/t/acme/events/" + id + "/ack", admin, Map.of())).json();
        assertThat(again.path("acknowledgedBy").asText()).isEqualTo(olgaId);
        assertThat(again.path("acknowledgedAt").asText()).isEqualTo(acked.path("acknowledgedAt").asText());
        assertThat(events.openAlertCounts(TENANT)).doesNotContainKey("car-2");
        assertThat(expect(200, app.http.get("/t/acme/events?carId=car-2&acknowledged=false", operator)).json()
                .path("events").findValuesAsText("type")).containsExactly("VOLTAGE_OK");
        JsonNode audit = expect(200, app.http.get("/t/acme/audit?limit=20", admin)).json();
        List<String> acks = new ArrayList<>();
        audit.forEach(r -> {
            if (r.path("action").asText().equals("event.ack")) {
                acks.add(r.path("outcome").asText());
            }
        });
        assertThat(acks).containsExactly("OK", "ALREADY_ACKNOWLEDGED");
        expect(404, app.http.postJson("/t/acme/events/ev-0000000000000-000000000000/ack", operator, Map.of()));
        expect(400, app.http.get("/t/acme/events?acknowledged=maybe", operator));
        expect(400, app.http.get("/t/acme/events?type=tamper", operator));
        expect(400, app.http.get("/t/acme/events?cursor=t-1", operator));
    }

    @Test
    @Order(7)
    void backendEvents_raisedOnceByTheirKey_andOtherTenantsIdsAreUnknown() {
        Events events = app.context().getBean(Events.class);
        String op = app.token(TENANT, "olga@acme.test");
        Instant end = Instant.now().minusSeconds(30).truncatedTo(java.time.temporal.ChronoUnit.MILLIS);
        var first = events.raise(TENANT, "car-1", Events.BOOKING_OVERDUE, end, Map.of("bookingId", bookingId), "booking-" + bookingId);
        var again = events.raise(TENANT, "car-1", Events.BOOKING_OVERDUE, end, Map.of("bookingId", bookingId), "booking-" + bookingId);
        assertThat(again.id()).isEqualTo(first.id());
        assertThat(again.notified()).isTrue();
        assertThat(expect(200, app.http.get("/t/acme/events?type=BOOKING_OVERDUE", op)).json().path("events")).hasSize(1);
        assertThat(alertsAbout(first.id(), "olga@acme.test")).hasSize(1);
        assertThat(events.openAlerts(TENANT, "car-1")).extracting(e -> e.id()).contains(first.id());
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> events.raise(TENANT, "car-9", "BOOKING_OVERDUE", Map.of()))
                .isInstanceOf(io.latchkey.cloud.NotFoundException.class);

        String betaAdmin = app.tenantWithAdmin("beta");
        String betaOperator = app.user("beta", betaAdmin, "olga@beta.test", "operator");
        expect(404, app.http.get("/t/beta/events/" + first.id(), betaOperator));
        expect(404, app.http.postJson("/t/beta/events/" + first.id() + "/ack", betaOperator, Map.of()));
        expect(404, app.http.get("/t/beta/cars/car-1/trips", betaOperator));
        expect(404, app.http.get("/t/beta/bookings/" + bookingId + "/trips", betaOperator));
        expect(404, app.http.putJson("/t/beta/cars/car-1/home-zone", betaOperator, Map.of("lat", 1.0, "lon", 1.0, "radiusM", 100.0)));
        assertThat(expect(200, app.http.get("/t/beta/events", betaOperator)).json().path("events")).isEmpty();
        assertThat(events.find(TENANT, first.id()).orElseThrow().acknowledged()).isFalse();
    }

    private List<JsonNode> alertsAbout(String eventId, String email) {
        return Mailbox.messagesTo(dataDir, TENANT, email).stream()
                .filter(m -> m.path("kind").asText().equals("operator-alert") && m.path("body").asText().contains(eventId))
                .toList();
    }

    @Test
    @Order(4)
    void leavingTheHomeZone_raisesOneEventPerExit_andZonesAreCheckedAndAudited() throws Exception {
        String zone = "/t/acme/cars/car-3/home-zone";
        expect(404, app.http.get(zone, operator));
        for (Map<String, Object> bad : List.of(Map.<String, Object>of("lat", 91.0, "lon", 13.4, "radiusM", 500.0),
                Map.<String, Object>of("lat", 52.5, "lon", -181.0, "radiusM", 500.0),
                Map.<String, Object>of("lat", 52.5, "lon", 13.4, "radiusM", 10.0),
                Map.<String, Object>of("lat", 52.5, "lon", 13.4, "radiusM", 60_000.0),
                Map.<String, Object>of("lat", 52.5, "lon", 13.4))) {
            expect(400, app.http.putJson(zone, operator, bad));
        }
        expect(404, app.http.get(zone, operator));
        expect(403, app.http.putJson(zone, borrower, Map.of("lat", 52.52, "lon", 13.40, "radiusM", 1000.0)));
        expect(404, app.http.putJson("/t/acme/cars/car-9/home-zone", operator, Map.of("lat", 52.52, "lon", 13.40, "radiusM", 1000.0)));
        JsonNode set = expect(200, app.http.putJson(zone, operator, Map.of("lat", 52.52, "lon", 13.40, "radiusM", 1000.0))).json();
        assertThat(set.path("radiusM").asDouble()).isEqualTo(1000.0);

        Instant t = Instant.now().minusSeconds(60);
        try (TestDevice car = device("dev-003")) {
            send(car, rec(1, t, 52.520, 0, 10.0, true, 50));
            send(car, rec(2, t.plusSeconds(10), 52.535, 50, 11.0, true, 50), rec(3, t.plusSeconds(20), 52.540, 50, 11.5, true, 50));
            send(car, rec(3, t.plusSeconds(20), 52.540, 50, 11.5, true, 50)); // redelivered: no second event
            send(car, rec(4, t.plusSeconds(30), 52.521, 50, 13.0, true, 50)); // back home
            send(car, rec(5, t.plusSeconds(40), 52.540, 50, 15.0, true, 50)); // the second exit
        }
        JsonNode left = expect(200, app.http.get("/t/acme/events?carId=car-3&type=LEFT_HOME_ZONE", operator)).json();
        assertThat(left.path("events")).hasSize(2);
        assertThat(left.path("events").get(1).path("at").asText())
                .isEqualTo(t.plusSeconds(10).truncatedTo(java.time.temporal.ChronoUnit.MILLIS).toString());
        assertThat(left.path("events").get(1).path("source").asText()).isEqualTo("BACKEND");
        assertThat(Mailbox.messagesTo(dataDir, TENANT, "olga@acme.test").stream()
                .filter(m -> m.path("subject").asText().contains("LEFT_HOME_ZONE"))
                .map(m -> m.path("body").asText()))
                .hasSize(2)
                .allSatisfy(body -> assertThat(body).doesNotContain("52.535").doesNotContain("lat:"));

        expect(204, app.http.delete(zone, operator));
        expect(404, app.http.get(zone, operator));
        JsonNode audit = expect(200, app.http.get("/t/acme/audit?limit=50", admin)).json();
        assertThat(audit.findValuesAsText("action")).contains("car.home-zone.set", "car.home-zone.remove");
    }

    @Test
    @Order(5)
    void aCarOfflineLongerThanTheThreshold_raisesCarOffline_oncePerOfflinePeriod() throws Exception {
        OfflineSweep sweep = app.context().getBean(OfflineSweep.class);
        try (TestDevice car = device("dev-004")) {
            car.publishState(true);
            await().atMost(Duration.ofSeconds(10)).until(() -> expect(200, app.http.get("/t/acme/cars/car-4", operator)).json()
                    .path("state").path("online").asBoolean());
            car.publishState(false); // the last will
            await().atMost(Duration.ofSeconds(10)).until(() -> !expect(200, app.http.get("/t/acme/cars/car-4", operator)).json()
                    .path("state").path("online").asBoolean());
        }
        String ofCar4 = "/t/acme/events?carId=car-4&type=CAR_OFFLINE";
        sweep.sweep();
        assertThat(expect(200, app.http.get(ofCar4, operator)).json().path("events")).isEmpty();
        MutableClock clock = app.clock();
        try {
            clock.advance(Duration.ofMinutes(9));
            sweep.sweep();
            assertThat(expect(200, app.http.get(ofCar4, operator)).json().path("events")).isEmpty();
            clock.advance(Duration.ofMinutes(2));
            sweep.sweep();
            // past offline-after, but the stored lastSeen may lag the car's last record by up to
            // LAST_SEEN_WRITTEN_WITHIN (a parked car's batches are written that seldom): not yet
            assertThat(expect(200, app.http.get(ofCar4, operator)).json().path("events")).isEmpty();
            clock.advance(io.latchkey.cloud.car.CarRegistry.LAST_SEEN_WRITTEN_WITHIN);
            sweep.sweep();
            sweep.sweep();
            JsonNode offline = expect(200, app.http.get(ofCar4, operator)).json().path("events");
            assertThat(offline).hasSize(1);
            assertThat(offline.get(0).path("details").path("cause").asText()).isEqualTo("DISCONNECTED");
            assertThat(Mailbox.messagesTo(dataDir, TENANT, "olga@acme.test").stream()
                    .filter(m -> m.path("body").asText().contains(offline.get(0).path("id").asText()))).hasSize(1);
            // car-5 never reported: nothing is raised for it
            assertThat(expect(200, app.http.get("/t/acme/events?carId=car-5", operator)).json().path("events")).isEmpty();
        } finally {
            clock.reset();
        }
    }

    @Test
    @Order(6)
    void anOpenTrip_survivesARestart_andARedeliveryAfterItCountsNothingTwice() throws Exception {
        Instant t = Instant.now().minusSeconds(120);
        TelemetryRecord[] firstHalf = {rec(1, t, 52.60, 0, 2000.0, true, 40), rec(2, t.plusSeconds(30), 52.61, 60, 2001.0, true, 39.5)};
        try (TestDevice car = device("dev-005")) {
            send(car, firstHalf);
        }
        JsonNode ongoing = expect(200, app.http.get("/t/acme/cars/car-5/trips", operator)).json().path("trips");
        assertThat(ongoing).hasSize(1);
        assertThat(ongoing.get(0).path("ongoing").asBoolean()).isTrue();

        DeviceCredentials credentials = app.device(TENANT, "dev-005");
        app.close();
        app = CloudApp.start(dataDir, CONFIG);
        String op = app.token(TENANT, "olga@acme.test");
        try (TestDevice car = new TestDevice(app.mqttUrl(), credentials, keys, Clock.systemUTC())) {
            send(car, firstHalf); // the car did not get the receipt before the restart and sends it again
            send(car, rec(3, t.plusSeconds(60), 52.62, 0, 2002.0, false, 39));
        }
        JsonNode trips = expect(200, app.http.get("/t/acme/cars/car-5/trips", op)).json().path("trips");
        assertThat(trips).hasSize(1);
        assertThat(trips.get(0).path("ongoing").asBoolean()).isFalse();
        assertThat(trips.get(0).path("distanceKm").asDouble()).isEqualTo(2.0);
        assertThat(trips.get(0).path("records").asInt()).isEqualTo(3);
        assertThat(trips.get(0).path("gpsDistanceKm").asDouble()).isBetween(2.1, 2.3);
    }
}
