package io.latchkey.cloud.command;

import static io.latchkey.cloud.it.CloudApp.expect;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.latchkey.cloud.booking.NextBookings;
import io.latchkey.cloud.it.CloudApp;
import io.latchkey.cloud.it.Http;
import io.latchkey.cloud.it.TestDevice;
import io.latchkey.protocol.telemetry.NextBooking;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Power states seen from the backend: a command to a car that said it is asleep is answered 503 at once with its
 * next wake and Retry-After (nothing sent, audited), and goes through again once the car is awake; and the backend
 * tells each car, retained on its {@code booking} channel, when its next booking starts.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CarAsleepIT {
    @TempDir
    static Path dataDir;
    CloudApp app;
    TestDevice device;
    String tenantAdmin;
    String operator;

    @BeforeAll
    void start() throws Exception {
        app = CloudApp.start(dataDir, Map.of("latchkey.bookings.next-booking-interval", "1h"));
        tenantAdmin = app.tenantWithAdmin("acme");
        operator = app.user("acme", tenantAdmin, "olga@acme.test", "operator");
        app.car("acme", operator, "car-1", "dev-001");
        app.car("acme", operator, "car-2", "dev-002");
        JsonNode discovery = expect(200, app.http.get("/t/acme/.well-known/latchkey-device", null)).json();
        device = new TestDevice(app, "acme", "dev-001", TestDevice.keys(discovery), Clock.systemUTC());
    }

    @AfterAll
    void stop() throws Exception {
        if (device != null) {
            device.close();
        }
        if (app != null) {
            app.close();
        }
    }

    @Test
    void aCommandToASleepingCar_is503WithItsNextWakeAndRetryAfter_notSent_audited_andGoesThroughOnceAwake() throws Exception {
        device.publishAwake("NORMAL");
        Http.Reply awake = app.http.postJson("/t/acme/cars/car-1/commands", operator, Map.of("type", "LOCK"));
        assertThat(awake.status()).as(awake.body()).isEqualTo(200);
        int sent = device.receivedCommands().size();

        Instant wake = Instant.now().plus(Duration.ofHours(2)).truncatedTo(ChronoUnit.SECONDS);
        device.publishSleeping("SLEEP", wake);
        await().atMost(Duration.ofSeconds(10)).until(() ->
                "SLEEP".equals(expect(200, app.http.get("/t/acme/cars/car-1", operator)).json().path("state").path("powerState").asText()));

        Http.Reply asleep = app.http.postJson("/t/acme/cars/car-1/commands", operator, Map.of("type", "UNLOCK"));
        assertThat(asleep.status()).as(asleep.body()).isEqualTo(503);
        assertThat(asleep.contentType()).startsWith("application/problem+json");
        assertThat(asleep.json().path("detail").asText()).contains("asleep", "next wake at " + wake);
        long retryAfter = Long.parseLong(asleep.retryAfter());
        assertThat(retryAfter).isBetween(Duration.ofHours(2).minusMinutes(1).toSeconds(), Duration.ofHours(2).toSeconds());
        assertThat(device.receivedCommands()).as("nothing was sent").hasSize(sent);
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(audit()).contains("car.unlock CAR_ASLEEP"));

        device.publishAwake("ECONOMY");
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            Http.Reply again = app.http.postJson("/t/acme/cars/car-1/commands", operator, Map.of("type", "UNLOCK"));
            assertThat(again.status()).as(again.body()).isEqualTo(200);
        });
    }

    @Test
    void aCarInProtectionIsAsleepToo_butOnceItsWakeHasPassedTheCommandIsSentAgain() throws Exception {
        device.publishSleeping("PROTECT", Instant.now().plusSeconds(60));
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            Http.Reply r = app.http.postJson("/t/acme/cars/car-1/commands", operator, Map.of("type", "LOCK"));
            assertThat(r.status()).as(r.body()).isEqualTo(503);
            assertThat(r.json().path("detail").asText()).contains("PROTECT");
            assertThat(Long.parseLong(r.retryAfter())).isBetween(1L, 60L);
        });
        device.publishSleeping("PROTECT", Instant.now().minusSeconds(1)); // overdue: it may be reconnecting; try
        device.publishAwake("NORMAL");
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            Http.Reply r = app.http.postJson("/t/acme/cars/car-1/commands", operator, Map.of("type", "LOCK"));
            assertThat(r.status()).as(r.body()).isEqualTo(200);
        });
    }

    @Test
    void eachCarIsToldWhenItsNextBookingStarts_retained_andAgainWhenItChanges() throws Exception {
        String borrower = app.user("acme", tenantAdmin, "bob@acme.test", "borrower");
        device.subscribeNextBooking();
        NextBookings next = app.context().getBean(NextBookings.class);
        Instant later = Instant.now().plus(Duration.ofDays(2)).truncatedTo(ChronoUnit.SECONDS);
        Instant sooner = Instant.now().plus(Duration.ofDays(1)).truncatedTo(ChronoUnit.SECONDS);
        expect(201, app.http.postJson("/t/acme/bookings", borrower, Map.of("carId", "car-1",
                "start", later.toString(), "end", later.plus(Duration.ofHours(2)).toString())));
        next.publishAll();
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(device.nextBookings())
                .extracting(NextBooking::startsAt).contains(later));
        JsonNode sooner1 = expect(201, app.http.postJson("/t/acme/bookings", borrower, Map.of("carId", "car-1",
                "start", sooner.toString(), "end", sooner.plus(Duration.ofHours(2)).toString()))).json();
        next.publishAll();
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(last().startsAt()).isEqualTo(sooner));
        int heard = device.nextBookings().size();
        assertThat(next.publishAll()).as("nothing changed: nothing sent").isZero();
        expect(200, app.http.postJson("/t/acme/bookings/" + sooner1.path("id").asText() + "/cancel", borrower, Map.of()));
        next.publishAll();
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(last().startsAt()).isEqualTo(later));
        assertThat(device.nextBookings()).hasSizeGreaterThan(heard);
        assertThat(device.nextBookings()).allMatch(b -> b.deviceId().equals("dev-001"));
    }

    @Test
    void aSleepingCarRaisesNoOfflineAlertUntilItIsOverdue() throws Exception {
        JsonNode discovery = expect(200, app.http.get("/t/acme/.well-known/latchkey-device", null)).json();
        io.latchkey.cloud.event.OfflineSweep sweep = app.context().getBean(io.latchkey.cloud.event.OfflineSweep.class);
        io.latchkey.cloud.it.MutableClock clock = app.clock();
        String ofCar2 = "/t/acme/events?carId=car-2&type=CAR_OFFLINE";
        try (TestDevice car = new TestDevice(app, "acme", "dev-002", TestDevice.keys(discovery), Clock.systemUTC())) {
            car.publishAwake("ECONOMY");
            await().atMost(Duration.ofSeconds(10)).until(() -> expect(200, app.http.get("/t/acme/cars/car-2", operator)).json()
                    .path("state").path("online").asBoolean());
            car.publishSleeping("SLEEP", clock.instant().plus(Duration.ofHours(6)));
            await().atMost(Duration.ofSeconds(10)).until(() -> "SLEEP".equals(expect(200, app.http.get("/t/acme/cars/car-2", operator))
                    .json().path("state").path("powerState").asText()));
        }
        try {
            clock.advance(Duration.ofHours(6));
            sweep.sweep();
            String olga = app.token("acme", "olga@acme.test"); // the test's token has expired meanwhile
            assertThat(expect(200, app.http.get(ofCar2, olga)).json().path("events")).as("asleep as announced").isEmpty();
            clock.advance(Duration.ofMinutes(11)); // past its wake by more than offline-after (10 min)
            sweep.sweep();
            assertThat(expect(200, app.http.get(ofCar2, olga)).json().path("events")).hasSize(1);
        } finally {
            clock.reset();
        }
    }

    private NextBooking last() {
        List<NextBooking> all = device.nextBookings();
        return all.get(all.size() - 1);
    }

    private List<String> audit() {
        JsonNode trail = expect(200, app.http.get("/t/acme/audit?limit=1000", tenantAdmin)).json();
        List<String> seen = new ArrayList<>();
        trail.forEach(r -> seen.add(r.path("action").asText() + " " + r.path("outcome").asText()));
        return seen;
    }
}
