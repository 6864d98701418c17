package io.latchkey.cloud.booking;

import static io.latchkey.cloud.it.CloudApp.expect;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.latchkey.cloud.audit.AuditEntry;
import io.latchkey.cloud.it.CloudApp;
import io.latchkey.cloud.it.Http;
import io.latchkey.cloud.it.RecordingAuditLog;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The operator's booking limits (defaults), and bookings of accounts that end for good are cancelled. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BookingLimitsIT {
    @TempDir
    static Path dataDir;
    @TempDir
    Path otherDataDir;
    CloudApp app;
    String tenantAdmin;
    String operator;
    int users;

    @BeforeAll
    void start() {
        app = CloudApp.start(dataDir, Map.of("test.audit", "recording"));
        tenantAdmin = app.tenantWithAdmin("acme");
        operator = app.user("acme", tenantAdmin, "olga@acme.test", "operator");
        for (int i = 1; i <= 12; i++) {
            app.car("acme", operator, "car-" + i, "dev-" + i);
        }
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

    @Test
    void aStartTooFarAhead_orTooFarBack_isRefused_withTheLimitNamed() {
        String bob = borrower();
        Instant now = app.clock().instant();
        assertProblem(book(bob, "car-1", Instant.parse("3000-01-01T00:00:00Z"), Instant.parse("3000-01-02T00:00:00Z")),
                400, "at most 90 days ahead");
        assertProblem(book(bob, "car-1", now.plus(Duration.ofDays(91)), now.plus(Duration.ofDays(92))), 400, "90 days ahead");
        assertProblem(book(bob, "car-1", now.minus(Duration.ofDays(30)), now.plus(Duration.ofDays(1))), 400,
                "at most 15 minutes in the past");
        assertProblem(book(bob, "car-1", now.minus(Duration.ofMinutes(16)), now.plus(Duration.ofHours(1))), 400, "past");
        expect(201, book(bob, "car-1", now.minus(Duration.ofMinutes(10)), now.plus(Duration.ofHours(1))));
        expect(201, book(bob, "car-2", now.plus(Duration.ofDays(89)), now.plus(Duration.ofDays(90))));
    }

    @Test
    void aBookingLongerThan31Days_isRefused() {
        String bob = borrower();
        Instant start = app.clock().instant().plus(Duration.ofDays(1));
        assertProblem(book(bob, "car-3", start, start.plus(Duration.ofDays(31)).plusSeconds(1)), 400, "at most 31 days");
        expect(201, book(bob, "car-3", start, start.plus(Duration.ofDays(31))));
    }

    @Test
    void aBorrower_holdsAtMostFiveOpenBookings_andAnEndedOneFreesASlot() {
        String email = "five" + (++users) + "@acme.test";
        String bob = app.user("acme", tenantAdmin, email, "borrower");
        Instant start = app.clock().instant().plus(Duration.ofDays(40));
        for (int i = 0; i < 5; i++) {
            Instant s = start.plus(Duration.ofDays(i));
            expect(201, book(bob, "car-4", s, s.plus(Duration.ofHours(1))));
        }
        assertProblem(book(bob, "car-5", start, start.plus(Duration.ofHours(1))), 409, "at most 5 bookings");
        app.clock().advance(Duration.ofDays(40).plusHours(2));
        bob = app.token("acme", email);
        expect(201, book(bob, "car-5", start.plus(Duration.ofDays(10)), start.plus(Duration.ofDays(10)).plusSeconds(60)));
    }

    @Test
    void parallelBookingsOfDifferentCars_stillCountAgainstTheLimit() throws Exception {
        String bob = borrower();
        Instant start = app.clock().instant().plus(Duration.ofDays(60));
        ExecutorService pool = Executors.newFixedThreadPool(12);
        try {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<Integer>> calls = new ArrayList<>();
            for (int i = 1; i <= 12; i++) {
                String car = "car-" + i;
                calls.add(pool.submit(() -> {
                    go.await();
                    return book(bob, car, start, start.plus(Duration.ofHours(1))).status();
                }));
            }
            go.countDown();
            List<Integer> statuses = new ArrayList<>();
            for (Future<Integer> call : calls) {
                statuses.add(call.get());
            }
            assertThat(statuses).containsOnly(201, 409);
            assertThat(statuses.stream().filter(s -> s == 201).count()).isEqualTo(5);
        } finally {
            pool.shutdownNow();
        }
        assertThat(list(bob)).hasSize(5);
    }

    @Test
    void terminatingAnAccount_cancelsItsOpenBookings_keepingThemAsHistory_freeingTheCars_andAuditsEach() {
        String email = "tess" + (++users) + "@acme.test";
        String tess = app.user("acme", tenantAdmin, email, "borrower");
        String id = expect(200, app.http.get("/t/acme/users/me", tess)).text("id");
        Instant now = app.clock().instant();
        String current = expect(201, book(tess, "car-6", now.minusSeconds(60), now.plus(Duration.ofHours(2)))).text("id");
        String upcoming = expect(201, book(tess, "car-7", now.plus(Duration.ofDays(2)), now.plus(Duration.ofDays(3)))).text("id");

        expect(204, app.http.delete("/t/acme/users/" + id, tenantAdmin));

        List<JsonNode> left = bookingsOf(id);
        assertThat(left).extracting(b -> b.path("id").asText()).containsExactlyInAnyOrder(current, upcoming);
        assertThat(left).extracting(b -> b.path("state").asText()).containsOnly("CANCELLED");
        assertThat(left).allSatisfy(b -> assertThat(Instant.parse(b.path("cancelledAt").asText()))
                .isBeforeOrEqualTo(app.clock().instant()));
        String other = borrower();
        expect(201, book(other, "car-6", now.plus(Duration.ofMinutes(5)), now.plus(Duration.ofHours(1))));
        expect(201, book(other, "car-7", now.plus(Duration.ofDays(2)), now.plus(Duration.ofDays(3))));
        assertThat(audit("booking/" + current + " car/car-6")).extracting(AuditEntry::action, AuditEntry::outcome)
                .contains(org.assertj.core.groups.Tuple.tuple("booking.cancel", "CANCELLED_ACCOUNT_TERMINATED"));
        assertThat(audit("booking/" + upcoming + " car/car-7")).extracting(AuditEntry::outcome)
                .contains("CANCELLED_ACCOUNT_TERMINATED");
    }

    @Test
    void lockingAnAccountForGood_cancelsItsOpenBookings() {
        String email = "lou" + (++users) + "@acme.test";
        String lou = app.user("acme", tenantAdmin, email, "borrower");
        String id = expect(200, app.http.get("/t/acme/users/me", lou)).text("id");
        Instant start = app.clock().instant().plus(Duration.ofDays(5));
        String upcoming = expect(201, book(lou, "car-8", start, start.plus(Duration.ofHours(3)))).text("id");

        expect(204, app.http.postJson("/t/acme/users/" + id + "/lock", operator, Map.of()));

        assertThat(bookingsOf(id)).extracting(b -> b.path("state").asText()).containsExactly("CANCELLED");
        expect(201, book(borrower(), "car-8", start, start.plus(Duration.ofHours(3))));
        assertThat(audit("booking/" + upcoming + " car/car-8")).extracting(AuditEntry::action, AuditEntry::outcome)
                .contains(org.assertj.core.groups.Tuple.tuple("booking.cancel", "CANCELLED_ACCOUNT_LOCKED"));
    }

    @ParameterizedTest
    @CsvSource({"max-advance,731d", "max-advance,soon", "max-length,30m", "max-length,366d", "max-backdate,2h",
            "max-open-per-borrower,0", "max-open-per-borrower,101", "max-open-per-borrower,many", "reservation-hold,4s", "reservation-hold,0s", "reservation-hold,-5s",
            "reservation-hold,3h", "reservation-hold,soon", "immediate-length,10m", "immediate-length,25h", "sweep-interval,0s",
            "sweep-interval,2h", "sweep-interval,often"})
    void aLimitOutOfRange_stopsTheStart_namingTheKey(String key, String value) {
        assertThatThrownBy(() -> CloudApp.start(otherDataDir, Map.of("latchkey.bookings." + key, value)))
                .hasStackTraceContaining("latchkey.bookings." + key + " must be");
    }

    private String borrower() {
        return app.user("acme", tenantAdmin, "b" + (++users) + "@acme.test", "borrower");
    }

    private Http.Reply book(String token, String carId, Instant start, Instant end) {
        return app.http.postJson("/t/acme/bookings", token, Map.of("carId", carId, "start", start.toString(), "end", end.toString()));
    }

    private List<JsonNode> list(String token) {
        List<JsonNode> out = new ArrayList<>();
        expect(200, app.http.get("/t/acme/bookings?size=200", token)).json().path("items").forEach(out::add);
        return out;
    }

    private List<JsonNode> bookingsOf(String userId) {
        return list(tenantAdmin).stream().filter(b -> b.path("userId").asText().equals(userId)).toList();
    }

    private List<AuditEntry> audit(String subject) {
        return app.context().getBean(RecordingAuditLog.class).of("acme", subject);
    }

    private static void assertProblem(Http.Reply reply, int status, String detail) {
        assertThat(reply.status()).as(reply.body()).isEqualTo(status);
        assertThat(reply.text("detail")).contains(detail);
    }
}
