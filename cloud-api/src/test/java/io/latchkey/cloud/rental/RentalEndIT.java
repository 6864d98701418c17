package io.latchkey.cloud.rental;

import static io.latchkey.cloud.it.CloudApp.expect;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.latchkey.cloud.it.CloudApp;
import io.latchkey.cloud.it.Http;
import io.latchkey.cloud.it.Mailbox;
import io.latchkey.cloud.it.TestDevice;
import io.latchkey.protocol.LockState;
import io.latchkey.protocol.command.Command;
import io.latchkey.protocol.command.CommandType;
import io.latchkey.protocol.telemetry.TelemetryRecord;
import java.nio.file.Path;
import java.security.PublicKey;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Ending a rental through {@code POST /t/{tenant}/bookings/{id}/end}, checked by a device on the embedded broker: a
 * refusal for an open door changes nothing; once closed the car locks itself, the booking ends and the borrower gets
 * one receipt with the distance of the drive they made (real telemetry, segmented into a trip).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RentalEndIT {
    static final String FUEL = "Vehicle.Powertrain.FuelSystem.RelativeLevel";
    @TempDir
    static Path dataDir;
    CloudApp app;
    Map<String, PublicKey> keys;
    String admin;
    String operator;
    String bob;
    String eve;
    int cars;

    @BeforeAll
    void start() {
        app = CloudApp.start(dataDir, Map.of("latchkey.commands.timeout", "2s"));
        admin = app.tenantWithAdmin("acme");
        operator = app.user("acme", admin, "olga@acme.test", "operator");
        bob = app.user("acme", admin, "bob@acme.test", "borrower");
        eve = app.user("acme", admin, "eve@acme.test", "borrower");
        keys = TestDevice.keys(expect(200, app.http.get("/t/acme/.well-known/latchkey-device", null)).json());
    }

    @AfterAll
    void stop() {
        if (app != null) {
            app.close();
        }
    }

    @AfterEach
    void resetClock() {
        app.clock().reset();
    }

    /** A new car and its device, connected with the backend's clock (so commands are fresh when the clock moves). */
    TestDevice newCar(String carId) throws Exception {
        app.car("acme", operator, carId, "dev-" + carId);
        return new TestDevice(app, "acme", "dev-" + carId, keys, app.clock());
    }

    String book(String token, String carId, Instant start, Instant end) {
        return expect(201, app.http.postJson("/t/acme/bookings", token, Map.of("carId", carId,
                "start", start.toString(), "end", end.toString()))).text("id");
    }

    String state(String id) {
        return expect(200, app.http.get("/t/acme/bookings/" + id, operator)).text("state");
    }

    /** Books now for an hour and unlocks as the borrower: the rental is ACTIVE. */
    String rent(String carId, Duration length) {
        Instant now = app.clock().instant();
        String id = book(bob, carId, now.minusSeconds(60), now.plus(length));
        expect(200, app.http.postJson("/t/acme/cars/" + carId + "/commands", bob, Map.of("type", "UNLOCK")));
        await().atMost(Duration.ofSeconds(10)).until(() -> state(id).equals("ACTIVE"));
        return id;
    }

    static TelemetryRecord rec(long seq, Instant time, double lat, double speed, double odometer, boolean ignition,
                               double fuel) {
        return new TelemetryRecord(seq, time, lat, 13.40, speed, odometer, LockState.UNLOCKED, false, ignition, 3,
                Map.of(FUEL, fuel), "PERIODIC");
    }

    /** Publishes a batch and waits for its receipt: then its trips are stored. */
    static void send(TestDevice device, TelemetryRecord... records) throws Exception {
        int before = device.receipts().size();
        device.publishTelemetry(records);
        await().atMost(Duration.ofSeconds(10)).until(() -> device.receipts().size() > before);
    }

    /** A short drive of 2.7 km (odometer) that ends parked, ignition off, doors closed. */
    void drive(TestDevice device, long firstSeq) throws Exception {
        Instant t = app.clock().instant();
        send(device, rec(firstSeq, t, 52.52, 0, 1000.0, true, 60),
                rec(firstSeq + 1, t.plusSeconds(60), 52.53, 55, 1001.4, true, 59.5),
                rec(firstSeq + 2, t.plusSeconds(120), 52.54, 0, 1002.7, false, 59));
    }

    String lockState(String carId) {
        return expect(200, app.http.get("/t/acme/cars/" + carId, operator)).json().path("state").path("lockState").asText();
    }

    List<JsonNode> receipts(String email) {
        return Mailbox.messagesTo(dataDir, "acme", email).stream()
                .filter(m -> m.path("kind").asText().equals("rental-receipt")).toList();
    }

    Command lastCommand(TestDevice device) {
        List<byte[]> received = device.receivedCommands();
        return device.verifier().verify(received.get(received.size() - 1));
    }

    List<String> audit(String subjectPart) {
        JsonNode trail = expect(200, app.http.get("/t/acme/audit?limit=1000", admin)).json();
        List<String> seen = new ArrayList<>();
        trail.forEach(r -> {
            if (r.path("subject").asText().contains(subjectPart)) {
                seen.add(r.path("action").asText() + " " + r.path("outcome").asText());
            }
        });
        return seen;
    }

    @Test
    void endRefusedForAnOpenDoor_changesNothing_thenEndsOnceClosed_withOneReceipt() throws Exception {
        try (TestDevice car = newCar("car-1")) {
            expect(200, app.http.putJson("/t/acme/cars/car-1/home-zone", operator,
                    Map.of("lat", 52.54, "lon", 13.40, "radiusM", 500.0)));
            String id = rent("car-1", Duration.ofHours(1));
            drive(car, 1);
            int mailsBefore = receipts("bob@acme.test").size();

            car.failChecks("DOOR_OPEN: rear left");
            Http.Reply refused = expect(200, app.http.postJson("/t/acme/bookings/" + id + "/end", bob, Map.of()));
            assertThat(refused.json().path("ended").asBoolean()).isFalse();
            assertThat(refused.json().path("failed").findValuesAsText("")).isEmpty();
            assertThat(refused.json().path("failed").get(0).asText()).isEqualTo("DOOR_OPEN: rear left");
            assertThat(refused.json().path("failed")).hasSize(1);
            assertThat(refused.json().has("receipt")).isFalse();
            Command asked = lastCommand(car);
            assertThat(asked.type()).isEqualTo(CommandType.END_RENTAL);
            assertThat(asked.zone()).as("the car's home zone is signed into the command").isNotNull();
            assertThat(asked.zone().radiusM()).isEqualTo(500.0);
            assertThat(state(id)).isEqualTo("ACTIVE");
            assertThat(lockState("car-1")).isEqualTo("UNLOCKED");
            assertThat(receipts("bob@acme.test")).hasSize(mailsBefore);

            car.failChecks();
            JsonNode ended = expect(200, app.http.postJson("/t/acme/bookings/" + id + "/end", bob, Map.of())).json();
            assertThat(ended.path("ended").asBoolean()).isTrue();
            assertThat(ended.has("failed")).isFalse();
            assertThat(ended.path("booking").path("state").asText()).isEqualTo("ENDED");
            JsonNode receipt = ended.path("receipt");
            assertThat(receipt.path("bookingId").asText()).isEqualTo(id);
            assertThat(receipt.path("tripCount").asInt()).isEqualTo(1);
            assertThat(receipt.path("distanceKm").asDouble()).isEqualTo(2.7);
            assertThat(receipt.path("drivingS").asLong()).isEqualTo(120);
            assertThat(receipt.path("fuelUsedPct").asDouble()).isEqualTo(1.0);
            assertThat(receipt.path("durationS").asLong()).isEqualTo(Duration.between(
                    Instant.parse(receipt.path("startedAt").asText()), Instant.parse(receipt.path("endedAt").asText())).toSeconds());
            assertThat(receipt.path("trips").get(0).has("path")).as("no path in a receipt").isFalse();
            assertThat(state(id)).isEqualTo("ENDED");
            assertThat(lockState("car-1")).isEqualTo("LOCKED");

            List<JsonNode> mails = receipts("bob@acme.test");
            assertThat(mails).hasSize(mailsBefore + 1);
            String body = mails.get(mails.size() - 1).path("body").asText();
            assertThat(body).contains(id, "2.7 km", "1 trip");
            assertThat(body).as("no positions in the mail").doesNotContain("52.5");

            // ended: a second end is a conflict, and nothing more is mailed
            Http.Reply again = app.http.postJson("/t/acme/bookings/" + id + "/end", bob, Map.of());
            assertThat(again.status()).as(again.body()).isEqualTo(409);
            assertThat(receipts("bob@acme.test")).hasSize(mailsBefore + 1);
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(audit(id))
                    .containsOnlyOnce("booking.end OK"));
            assertThat(audit("car/car-1 command/")).contains("car.end_rental REJECTED", "car.end_rental EXECUTED");
        }
    }

    @Test
    void endOfABookingNotActive_is409_anotherBorrowers_is403_unknown_403or404() throws Exception {
        try (TestDevice car = newCar("car-2")) {
            Instant now = app.clock().instant();
            String id = book(bob, "car-2", now.plusSeconds(3600), now.plusSeconds(7200));
            int commands = car.receivedCommands().size();

            Http.Reply notActive = app.http.postJson("/t/acme/bookings/" + id + "/end", bob, Map.of());
            assertThat(notActive.status()).as(notActive.body()).isEqualTo(409);
            assertThat(notActive.json().path("detail").asText()).contains("CONFIRMED");
            assertThat(app.http.postJson("/t/acme/bookings/" + id + "/end", operator, Map.of()).status()).isEqualTo(409);

            Http.Reply foreign = app.http.postJson("/t/acme/bookings/" + id + "/end", eve, Map.of());
            Http.Reply unknown = app.http.postJson("/t/acme/bookings/b-0000000000000000/end", eve, Map.of());
            assertThat(foreign.status()).as(foreign.body()).isEqualTo(403);
            assertThat(unknown.status()).isEqualTo(403);
            assertThat(foreign.json().path("detail").asText()).isEqualTo(unknown.json().path("detail").asText());
            assertThat(app.http.postJson("/t/acme/bookings/b-0000000000000000/end", operator, Map.of()).status()).isEqualTo(404);

            assertThat(car.receivedCommands()).as("nothing was sent to the car").hasSize(commands);
            assertThat(state(id)).isEqualTo("CONFIRMED");
        }
    }

    @Test
    void anOperatorMayEndABorrowersRental_anOwnerWhoIsNotItsBorrowerMayNot() throws Exception {
        String owner = app.user("acme", admin, "owen@acme.test", "owner");
        String ownerId = expect(200, app.http.get("/t/acme/users/me", owner)).text("id");
        try (TestDevice car = newCar("car-4")) {
            expect(200, app.http.putJson("/t/acme/cars/car-4/owner", operator, Map.of("userId", ownerId)));
            String id = rent("car-4", Duration.ofHours(1));
            expect(200, app.http.get("/t/acme/bookings/" + id, owner)); // the owner sees it

            Http.Reply byOwner = app.http.postJson("/t/acme/bookings/" + id + "/end", owner, Map.of());
            assertThat(byOwner.status()).as(byOwner.body()).isEqualTo(403);
            assertThat(state(id)).isEqualTo("ACTIVE");

            JsonNode ended = expect(200, app.http.postJson("/t/acme/bookings/" + id + "/end", operator, Map.of())).json();
            assertThat(ended.path("ended").asBoolean()).isTrue();
            assertThat(ended.path("receipt").path("tripCount").asInt()).isZero();
            assertThat(ended.path("receipt").path("distanceKm").asDouble()).isZero();
            assertThat(state(id)).isEqualTo("ENDED");
            assertThat(receipts("bob@acme.test")).anySatisfy(m -> assertThat(m.path("body").asText()).contains(id, "0 trips"));
        }
    }

    @Test
    void aRefusalOfTheCommandItself_is502_andChangesNothing() throws Exception {
        app.car("acme", operator, "car-5", "dev-car-5");
        // a car whose clock falls an hour behind the backend's once connected: it refuses every command as not yet valid
        java.util.concurrent.atomic.AtomicReference<Duration> behind = new java.util.concurrent.atomic.AtomicReference<>(Duration.ZERO);
        java.time.Clock carClock = new java.time.Clock() {
            @Override
            public java.time.ZoneId getZone() {
                return java.time.ZoneOffset.UTC;
            }

            @Override
            public java.time.Clock withZone(java.time.ZoneId zone) {
                return this;
            }

            @Override
            public Instant instant() {
                return app.clock().instant().minus(behind.get());
            }
        };
        try (TestDevice car = new TestDevice(app, "acme", "dev-car-5", keys, carClock)) {
            behind.set(Duration.ofHours(1));
            String id = book(bob, "car-5", app.clock().instant().minusSeconds(60), app.clock().instant().plusSeconds(3600));
            app.context().getBean(io.latchkey.cloud.booking.BookingService.class).started("acme", "car-5",
                    expect(200, app.http.get("/t/acme/users/me", bob)).text("id"), app.clock().instant());
            assertThat(state(id)).isEqualTo("ACTIVE");

            Http.Reply reply = app.http.postJson("/t/acme/bookings/" + id + "/end", bob, Map.of());
            assertThat(reply.status()).as(reply.body()).isEqualTo(502);
            assertThat(reply.json().path("detail").asText()).contains("REJECTED", "the rental has not ended");
            assertThat(car.receivedCommands()).hasSize(1);
            assertThat(state(id)).isEqualTo("ACTIVE");
        }
    }

    @Test
    void endWhileTheCarIsOffline_is504_andChangesNothing() throws Exception {
        try (TestDevice car = newCar("car-3")) {
            String id = rent("car-3", Duration.ofHours(1));
            car.silent();
            Http.Reply reply = app.http.postJson("/t/acme/bookings/" + id + "/end", bob, Map.of());
            assertThat(reply.status()).as(reply.body()).isEqualTo(504);
            assertThat(state(id)).isEqualTo("ACTIVE");
        }
    }
}
