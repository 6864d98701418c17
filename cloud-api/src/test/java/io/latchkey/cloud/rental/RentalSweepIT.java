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
import io.latchkey.protocol.command.CommandType;
import io.latchkey.protocol.telemetry.TelemetryRecord;
import java.nio.file.Path;
import java.security.PublicKey;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The automatic end ({@link RentalSweep}, called with a moved {@link io.latchkey.cloud.it.MutableClock}) and the
 * policy "immobilised when idle", with devices on the embedded broker that answer as the agent does.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RentalSweepIT {
    @TempDir
    static Path dataDir;
    CloudApp app;
    Map<String, PublicKey> keys;
    String tenant;
    String admin;
    String operator;
    String bob;

    @BeforeAll
    void start() {
        app = CloudApp.start(dataDir, Map.of("latchkey.commands.timeout", "2s"));
    }

    /** Each test its own tenant (the policy is per tenant); returns nothing, sets the tokens. */
    void tenant(String tenant) {
        this.tenant = tenant;
        admin = app.tenantWithAdmin(tenant);
        operator = app.user(tenant, admin, "olga@" + tenant + ".test", "operator");
        bob = app.user(tenant, admin, "bob@" + tenant + ".test", "borrower");
        keys = TestDevice.keys(expect(200, app.http.get("/t/" + tenant + "/.well-known/latchkey-device", null)).json());
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

    /** Moves the clock, and signs in again (access tokens expire with the moved clock). */
    void advance(Duration by) {
        app.clock().advance(by);
        admin = app.token(tenant, "admin@" + tenant + ".test");
        operator = app.token(tenant, "olga@" + tenant + ".test");
        bob = app.token(tenant, "bob@" + tenant + ".test");
    }

    RentalSweep sweep() {
        return app.context().getBean(RentalSweep.class);
    }

    TestDevice newCar(String tenant, String carId) throws Exception {
        app.car(tenant, operator, carId, "dev-" + carId);
        return new TestDevice(app, tenant, "dev-" + carId, keys, app.clock());
    }

    String rent(String tenant, String carId, Duration length) {
        Instant now = app.clock().instant();
        String id = expect(201, app.http.postJson("/t/" + tenant + "/bookings", bob, Map.of("carId", carId,
                "start", now.minusSeconds(60).toString(), "end", now.plus(length).toString()))).text("id");
        expect(200, app.http.postJson("/t/" + tenant + "/cars/" + carId + "/commands", bob, Map.of("type", "UNLOCK")));
        await().atMost(Duration.ofSeconds(10)).until(() -> booking(tenant, id).path("state").asText().equals("ACTIVE"));
        return id;
    }

    JsonNode booking(String tenant, String id) {
        return expect(200, app.http.get("/t/" + tenant + "/bookings/" + id, operator)).json();
    }

    static TelemetryRecord rec(long seq, Instant time, double speed, double odometer, boolean ignition) {
        return new TelemetryRecord(seq, time, 52.52 + seq * 0.001, 13.40, speed, odometer, LockState.UNLOCKED, false, ignition, 3,
                Map.of("Vehicle.Powertrain.FuelSystem.RelativeLevel", 50.0), "PERIODIC");
    }

    static void send(TestDevice device, TelemetryRecord... records) throws Exception {
        int before = device.receipts().size();
        device.publishTelemetry(records);
        await().atMost(Duration.ofSeconds(10)).until(() -> device.receipts().size() > before);
    }

    String lockState(String tenant, String carId) {
        return expect(200, app.http.get("/t/" + tenant + "/cars/" + carId, operator)).json().path("state").path("lockState").asText();
    }

    List<JsonNode> mails(String tenant, String email, String kind, String containing) {
        return Mailbox.messagesTo(dataDir, tenant, email).stream()
                .filter(m -> m.path("kind").asText().equals(kind) && m.path("body").asText().contains(containing)).toList();
    }

    List<CommandType> commands(TestDevice device) {
        List<CommandType> types = new ArrayList<>();
        // read, not verified: the verifier would call commands sent before the clock moved expired
        for (byte[] c : device.receivedCommands()) {
            io.latchkey.protocol.command.SignedCommand signed = io.latchkey.protocol.Json.read(c,
                    io.latchkey.protocol.command.SignedCommand.class);
            types.add(io.latchkey.protocol.Json.read(java.util.Base64.getUrlDecoder().decode(signed.payload()),
                    io.latchkey.protocol.command.Command.class).type());
        }
        return types;
    }

    List<String> audit(String tenant, String subjectPart) {
        JsonNode trail = expect(200, app.http.get("/t/" + tenant + "/audit?limit=1000", admin)).json();
        List<String> seen = new ArrayList<>();
        trail.forEach(r -> {
            if (r.path("subject").asText().contains(subjectPart)) {
                seen.add(r.path("action").asText() + " " + r.path("outcome").asText() + " " + r.path("actor").asText());
            }
        });
        return seen;
    }

    @Test
    void aParkedCar_pastItsEnd_isEndedAndLocked_once_evenByTwoSweepsAtOnce() throws Exception {
        tenant("park");
        try (TestDevice car = newCar("park", "car-1")) {
            String id = rent("park", "car-1", Duration.ofHours(1));
            Instant t = app.clock().instant();
            send(car, rec(1, t, 0, 500.0, true), rec(2, t.plusSeconds(60), 40, 501.0, true), rec(3, t.plusSeconds(120), 0, 501.8, false));

            assertThat(sweep().sweep().ended()).as("not past its end yet").isEmpty();
            assertThat(booking("park", id).path("state").asText()).isEqualTo("ACTIVE");

            advance(Duration.ofMinutes(61));
            // two replicas sweeping at once
            CompletableFuture<RentalSweep.Result> one = CompletableFuture.supplyAsync(() -> sweep().sweep());
            CompletableFuture<RentalSweep.Result> two = CompletableFuture.supplyAsync(() -> sweep().sweep());
            int ended = one.get().ended().size() + two.get().ended().size();

            assertThat(ended).isEqualTo(1);
            JsonNode b = booking("park", id);
            assertThat(b.path("state").asText()).isEqualTo("ENDED");
            assertThat(b.path("overdue").asBoolean()).isFalse();
            assertThat(lockState("park", "car-1")).isEqualTo("LOCKED");
            assertThat(commands(car)).contains(CommandType.END_RENTAL).doesNotContain(CommandType.IMMOBILISE);
            List<JsonNode> receipts = mails("park", "bob@park.test", "rental-receipt", id);
            assertThat(receipts).hasSize(1);
            assertThat(receipts.get(0).path("body").asText()).contains("1.8 km");
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(audit("park", "booking/" + id))
                    .containsOnlyOnce("booking.end OK system"));
            assertThat(expect(200, app.http.get("/t/park/events?type=BOOKING_OVERDUE", operator)).json().path("events")).isEmpty();

            assertThat(sweep().sweep().ended()).isEmpty();
            assertThat(mails("park", "bob@park.test", "rental-receipt", id)).hasSize(1);
        }
    }

    @Test
    void aCarStillDriving_isMarkedOverdueOnce_alertedOnce_neverLocked_thenEndedOnceParked() throws Exception {
        tenant("drive");
        try (TestDevice car = newCar("drive", "car-1")) {
            String id = rent("drive", "car-1", Duration.ofHours(1));
            Instant t = app.clock().instant();
            send(car, rec(1, t, 0, 700.0, true), rec(2, t.plusSeconds(60), 50, 700.8, true));
            int sent = car.receivedCommands().size();

            advance(Duration.ofMinutes(70));
            send(car, rec(3, app.clock().instant(), 60, 760.0, true));
            RentalSweep.Result first = sweep().sweep();
            RentalSweep.Result second = sweep().sweep();

            assertThat(first.overdue()).extracting(b -> b.id()).containsExactly(id);
            assertThat(second.overdue()).isEmpty();
            assertThat(first.ended()).isEmpty();
            assertThat(second.ended()).isEmpty();
            JsonNode b = booking("drive", id);
            assertThat(b.path("state").asText()).isEqualTo("ACTIVE");
            assertThat(b.path("overdue").asBoolean()).isTrue();
            assertThat(car.receivedCommands()).as("nothing is sent to a car that drives").hasSize(sent);
            assertThat(lockState("drive", "car-1")).isEqualTo("UNLOCKED");
            JsonNode events = expect(200, app.http.get("/t/drive/events?type=BOOKING_OVERDUE", operator)).json().path("events");
            assertThat(events).hasSize(1);
            assertThat(events.get(0).path("details").path("bookingId").asText()).isEqualTo(id);
            assertThat(mails("drive", "olga@drive.test", "operator-alert", id)).hasSize(1);
            assertThat(audit("drive", "booking/" + id)).containsOnlyOnce("booking.overdue OK system");
            // the borrower still has the car, so can still lock it
            expect(200, app.http.postJson("/t/drive/cars/car-1/commands", bob, Map.of("type", "UNLOCK")));

            // parked by the backend's state, but the car itself says it moves: nothing forced, no second alert
            send(car, rec(4, app.clock().instant(), 0, 762.0, false));
            car.failChecks("MOVING");
            RentalSweep.Result refused = sweep().sweep();
            assertThat(refused.ended()).isEmpty();
            assertThat(booking("drive", id).path("state").asText()).isEqualTo("ACTIVE");
            assertThat(lockState("drive", "car-1")).isEqualTo("UNLOCKED");
            assertThat(expect(200, app.http.get("/t/drive/events?type=BOOKING_OVERDUE", operator)).json().path("events")).hasSize(1);
            assertThat(mails("drive", "olga@drive.test", "operator-alert", id)).hasSize(1);

            car.failChecks();
            RentalSweep.Result parked = sweep().sweep();
            assertThat(parked.ended()).extracting(e -> e.id()).containsExactly(id);
            assertThat(booking("drive", id).path("state").asText()).isEqualTo("ENDED");
            assertThat(lockState("drive", "car-1")).isEqualTo("LOCKED");
            List<JsonNode> receipts = mails("drive", "bob@drive.test", "rental-receipt", id);
            assertThat(receipts).hasSize(1);
            // two trips: the first ended at the gap while the clock moved (0.8 km), the second parked (2.0 km)
            assertThat(receipts.get(0).path("body").asText()).contains("after its booked end", "2.8 km in 2 trips");
            assertThat(sweep().sweep().ended()).isEmpty();
            assertThat(mails("drive", "olga@drive.test", "operator-alert", id)).hasSize(1);
        }
    }

    @Test
    void immobilisedWhenIdle_mobilisesOnStart_immobilisesOnEnd_retriesARefusal_andIsOffByDefault() throws Exception {
        tenant("idle");
        try (TestDevice car = newCar("idle", "car-1")) {
            // off by default: a rental sends neither
            assertThat(expect(200, app.http.get("/t/idle/policy", operator)).json().path("immobiliseWhenIdle").asBoolean()).isFalse();
            String first = rent("idle", "car-1", Duration.ofHours(1));
            expect(200, app.http.postJson("/t/idle/bookings/" + first + "/end", bob, Map.of()));
            Thread.sleep(300);
            assertThat(commands(car)).doesNotContain(CommandType.MOBILISE, CommandType.IMMOBILISE);

            // only a tenant-admin sets it, with a boolean
            Http.Reply byOperator = app.http.putJson("/t/idle/policy", operator, Map.of("immobiliseWhenIdle", true));
            assertThat(byOperator.status()).isEqualTo(403);
            assertThat(app.http.putJson("/t/idle/policy", admin, Map.of("immobiliseWhenIdle", "soon")).status()).isEqualTo(400);
            assertThat(app.http.putJson("/t/idle/policy", admin, Map.of()).status()).isEqualTo(400);
            assertThat(app.http.putJson("/t/idle/policy", admin, Map.of("immobiliseWhenIdle", true, "other", 1)).status())
                    .isEqualTo(400);
            assertThat(expect(200, app.http.get("/t/idle/policy", operator)).json().path("immobiliseWhenIdle").asBoolean()).isFalse();
            JsonNode on = expect(200, app.http.putJson("/t/idle/policy", admin, Map.of("immobiliseWhenIdle", true))).json();
            assertThat(on.path("immobiliseWhenIdle").asBoolean()).isTrue();
            assertThat(audit("idle", "policy")).anyMatch(a -> a.startsWith("tenant.policy.change OK"));

            // switched on: the idle car is immobilised by the next sweep
            sweep().sweep();
            assertThat(commands(car)).containsOnlyOnce(CommandType.IMMOBILISE);

            // a rental starts: MOBILISE; it ends: IMMOBILISE
            String second = rent("idle", "car-1", Duration.ofHours(1));
            await().atMost(Duration.ofSeconds(10)).until(() -> commands(car).contains(CommandType.MOBILISE));
            assertThat(last(car)).isEqualTo(CommandType.MOBILISE);
            expect(200, app.http.postJson("/t/idle/bookings/" + second + "/end", bob, Map.of()));
            await().atMost(Duration.ofSeconds(10)).until(() -> last(car) == CommandType.IMMOBILISE);
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(audit("idle", "car/car-1 command/"))
                    .contains("car.mobilise EXECUTED system", "car.immobilise EXECUTED system"));

            // an active rental cancelled by an operator while the car moves: IMMOBILISE refused, retried, never forced
            String third = rent("idle", "car-1", Duration.ofHours(1));
            await().atMost(Duration.ofSeconds(10)).until(() -> last(car) == CommandType.MOBILISE);
            car.failChecks("MOVING");
            int before = count(car, CommandType.IMMOBILISE);
            expect(200, app.http.postJson("/t/idle/bookings/" + third + "/cancel", operator, Map.of()));
            await().atMost(Duration.ofSeconds(10)).until(() -> count(car, CommandType.IMMOBILISE) == before + 1);
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(
                    app.context().getBean(Immobiliser.class).of("idle", "car-1").orElseThrow().lastRefusal()).isEqualTo("MOVING"));
            sweep().sweep();
            assertThat(count(car, CommandType.IMMOBILISE)).as("the sweep asks again").isEqualTo(before + 2);
            assertThat(app.context().getBean(Immobiliser.class).of("idle", "car-1").orElseThrow().done()).isFalse();
            car.failChecks();
            sweep().sweep();
            await().atMost(Duration.ofSeconds(10)).until(() -> app.context().getBean(Immobiliser.class).of("idle", "car-1")
                    .orElseThrow().done());
            assertThat(count(car, CommandType.IMMOBILISE)).isEqualTo(before + 3);
            sweep().sweep();
            assertThat(count(car, CommandType.IMMOBILISE)).as("confirmed: not sent again").isEqualTo(before + 3);

            // switched off: the car is mobilised again by the next sweep
            expect(200, app.http.putJson("/t/idle/policy", admin, Map.of("immobiliseWhenIdle", false)));
            int mobilised = count(car, CommandType.MOBILISE);
            sweep().sweep();
            assertThat(count(car, CommandType.MOBILISE)).isEqualTo(mobilised + 1);
        }
    }

    CommandType last(TestDevice device) {
        List<CommandType> all = commands(device);
        return all.isEmpty() ? null : all.get(all.size() - 1);
    }

    int count(TestDevice device, CommandType type) {
        return (int) commands(device).stream().filter(type::equals).count();
    }
}
