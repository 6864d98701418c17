package io.latchkey.cloud.booking;

import static io.latchkey.cloud.it.CloudApp.expect;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.latchkey.cloud.audit.AuditEntry;
import io.latchkey.cloud.it.CloudApp;
import io.latchkey.cloud.it.Http;
import io.latchkey.cloud.it.Mailbox;
import io.latchkey.cloud.it.RecordingAuditLog;
import io.latchkey.cloud.it.TestDevice;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * A booking's life cycle over HTTP: read, cancel, extend, every refusal (changing nothing), lapses found by the
 * sweep, the rental started by the borrower's first executed unlock at a device, and the mails the borrower gets.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BookingLifecycleIT {
    @TempDir
    static Path dataDir;
    CloudApp app;
    String admin;
    String operator;
    String bob;
    String bobId;
    String eve;
    String owner;
    String ownerId;
    int cars;
    int users;

    @BeforeAll
    void start() {
        // the scheduled sweep stays out of the way: the tests sweep themselves, at the clock they set
        app = CloudApp.start(dataDir, Map.of("test.audit", "recording", "latchkey.bookings.sweep-interval", "1h",
                "latchkey.commands.timeout", "5s"));
        admin = app.tenantWithAdmin("acme");
        operator = app.user("acme", admin, "olga@acme.test", "operator");
        bob = app.user("acme", admin, "bob@acme.test", "borrower");
        bobId = expect(200, app.http.get("/t/acme/users/me", bob)).text("id");
        eve = app.user("acme", admin, "eve@acme.test", "borrower");
        owner = app.user("acme", admin, "owen@acme.test", "owner");
        ownerId = expect(200, app.http.get("/t/acme/users/me", owner)).text("id");
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
        signIn();
    }

    /** Moves the clock, and signs everybody in again (access tokens live shorter than some of these jumps). */
    private void advance(Duration by) {
        app.clock().advance(by);
        signIn();
    }

    private void signIn() {
        operator = app.token("acme", "olga@acme.test");
        bob = app.token("acme", "bob@acme.test");
        eve = app.token("acme", "eve@acme.test");
    }

    // --- reading ------------------------------------------------------------------------------------------------

    @Test
    void aBooking_isReadByItsBorrower_theOwnerOfItsCar_andOperators_andRefusedAlikeToOthersWhetherOrNotItExists() {
        String car = car();
        expect(200, app.http.send(io.micronaut.http.HttpRequest.PUT("/t/acme/cars/" + car + "/owner",
                Map.of("userId", ownerId)).bearerAuth(operator)));
        String id = book(bob, car, inHours(1), inHours(2)).text("id");

        JsonNode own = expect(200, app.http.get("/t/acme/bookings/" + id, bob)).json();
        assertThat(own.path("state").asText()).isEqualTo("CONFIRMED");
        assertThat(own.path("kind").asText()).isEqualTo("SCHEDULED");
        assertThat(own.path("userId").asText()).isEqualTo(bobId);
        assertThat(expect(200, app.http.get("/t/acme/bookings/" + id, owner)).text("id")).isEqualTo(id);
        assertThat(expect(200, app.http.get("/t/acme/bookings/" + id, operator)).text("id")).isEqualTo(id);
        assertThat(expect(200, app.http.get("/t/acme/bookings/" + id, admin)).text("id")).isEqualTo(id);

        Http.Reply othersBooking = app.http.get("/t/acme/bookings/" + id, eve);
        Http.Reply noSuchBooking = app.http.get("/t/acme/bookings/b-0000000000000000", eve);
        assertThat(othersBooking.status()).isEqualTo(403);
        assertThat(noSuchBooking.status()).isEqualTo(403);
        assertThat(othersBooking.body()).isEqualTo(noSuchBooking.body());

        assertProblem(app.http.get("/t/acme/bookings/b-0000000000000000", operator), 404, "unknown booking");
        assertProblem(app.http.get("/t/acme/bookings/a..b", eve), 404, "unknown booking");
    }

    @Test
    void anotherTenantsBookingId_isUnknownHere() {
        String car = car();
        String id = book(bob, car, inHours(1), inHours(2)).text("id");
        String betaAdmin = app.tenantWithAdmin("beta");
        String betaOperator = app.user("beta", betaAdmin, "olga@beta.test", "operator");
        assertProblem(app.http.get("/t/beta/bookings/" + id, betaOperator), 404, "unknown booking");
        assertProblem(app.http.postJson("/t/beta/bookings/" + id + "/cancel", betaOperator, Map.of()), 404, "unknown booking");
        assertThat(state(id)).isEqualTo("CONFIRMED");
    }

    @Test
    void aBookingStoredBeforeStates_isFoundByItsId_readsAsConfirmed_andCanBeCancelled() {
        String legacyAdmin = app.tenantWithAdmin("legacy");
        String legacyOperator = app.user("legacy", legacyAdmin, "olga@legacy.test", "operator");
        String ben = app.user("legacy", legacyAdmin, "ben@legacy.test", "borrower");
        String benId = expect(200, app.http.get("/t/legacy/users/me", ben)).text("id");
        app.car("legacy", legacyOperator, "old-1", "dev-old-1");
        Instant start = inHours(2);
        // as the backend wrote it before bookings had states (and before the id index existed)
        String stored = "{\"bookings\":[{\"id\":\"b-00000000000000aa\",\"carId\":\"old-1\",\"userId\":\"" + benId
                + "\",\"start\":\"" + start + "\",\"end\":\"" + start.plus(Duration.ofHours(1)) + "\",\"createdAt\":\""
                + app.clock().instant() + "\"}]}";
        app.context().getBean(io.latchkey.cloud.store.Stores.class).tenant("legacy")
                .create("car-bookings", "old-1", stored.getBytes(java.nio.charset.StandardCharsets.UTF_8));

        JsonNode old = expect(200, app.http.get("/t/legacy/bookings/b-00000000000000aa", ben)).json();
        assertThat(old.path("state").asText()).isEqualTo("CONFIRMED");
        assertThat(old.path("kind").asText()).isEqualTo("SCHEDULED");
        expect(200, app.http.delete("/t/legacy/bookings/b-00000000000000aa", ben));
        assertThat(expect(200, app.http.get("/t/legacy/bookings/b-00000000000000aa", legacyOperator)).text("state"))
                .isEqualTo("CANCELLED");
    }

    // --- cancel -------------------------------------------------------------------------------------------------

    @Test
    void theBorrower_cancelsBeforeTheStart_bothWays_freeingTheCar_auditedAndMailed() {
        String car = car();
        Instant start = inHours(3);
        String first = book(bob, car, start, start.plus(Duration.ofHours(1))).text("id");
        assertThat(mails("bob@acme.test", "booking-confirmed")).anySatisfy(m -> assertThat(m.path("body").asText())
                .contains(first).contains(start.toString()).contains("Car " + car));
        JsonNode cancelled = expect(200, app.http.postJson("/t/acme/bookings/" + first + "/cancel", bob, Map.of())).json();
        assertThat(cancelled.path("state").asText()).isEqualTo("CANCELLED");
        assertThat(cancelled.path("cancelledBy").asText()).isEqualTo(bobId);
        assertThat(cancelled.has("endedAt")).isFalse();
        assertThat(audit(first, car)).extracting(AuditEntry::action, AuditEntry::actor)
                .contains(org.assertj.core.groups.Tuple.tuple("booking.cancel", bobId));
        assertThat(mails("bob@acme.test", "booking-cancelled")).anySatisfy(m -> {
            assertThat(m.path("body").asText()).contains(first).contains("at your request");
        });

        String second = book(bob, car, start, start.plus(Duration.ofHours(1))).text("id");
        assertThat(expect(200, app.http.delete("/t/acme/bookings/" + second, bob)).text("state")).isEqualTo("CANCELLED");
        expect(201, book(eve, car, start, start.plus(Duration.ofHours(1))));
    }

    @Test
    void cancelRefusals_changeNothing() {
        String car = car();
        String id = book(bob, car, inHours(1), inHours(2)).text("id");
        int audited = audit(id, car).size();
        assertProblem(app.http.postJson("/t/acme/bookings/" + id + "/cancel", eve, Map.of()), 403, BookingService.NOT_YOURS);
        assertProblem(app.http.delete("/t/acme/bookings/" + id, eve), 403, BookingService.NOT_YOURS);
        assertThat(app.http.delete("/t/acme/bookings/" + id, owner).status()).isEqualTo(403);
        assertThat(app.http.postJson("/t/acme/bookings/b-0000000000000000/cancel", eve, Map.of()).body())
                .isEqualTo(app.http.postJson("/t/acme/bookings/" + id + "/cancel", eve, Map.of()).body());
        assertThat(extend(eve, "b-0000000000000000", inHours(5)).body()).isEqualTo(extend(eve, id, inHours(5)).body());
        assertThat(extend(owner, id, inHours(5)).status()).isEqualTo(403);
        assertProblem(app.http.delete("/t/acme/bookings/b-0000000000000000", operator), 404, "unknown booking");
        assertThat(state(id)).isEqualTo("CONFIRMED");
        assertThat(audit(id, car)).hasSize(audited);

        expect(200, app.http.delete("/t/acme/bookings/" + id, bob));
        audited = audit(id, car).size();
        assertProblem(app.http.delete("/t/acme/bookings/" + id, bob), 409, "is CANCELLED");
        assertProblem(app.http.delete("/t/acme/bookings/" + id, operator), 409, "is CANCELLED");
        assertThat(audit(id, car)).hasSize(audited);
    }

    @Test
    void anActiveRental_cannotBeCancelledByItsBorrower_butAnOperatorCancelsIt_andItEndsNow() {
        String car = car();
        String id = book(bob, car, app.clock().instant().minusSeconds(60), inHours(2)).text("id");
        service().started("acme", car, bobId, app.clock().instant());
        assertThat(state(id)).isEqualTo("ACTIVE");

        assertProblem(app.http.postJson("/t/acme/bookings/" + id + "/cancel", bob, Map.of()), 409, "the rental has started");
        assertThat(state(id)).isEqualTo("ACTIVE");

        JsonNode cancelled = expect(200, app.http.postJson("/t/acme/bookings/" + id + "/cancel", operator, Map.of())).json();
        assertThat(cancelled.path("state").asText()).isEqualTo("CANCELLED");
        assertThat(cancelled.path("endedAt").asText()).isEqualTo(cancelled.path("cancelledAt").asText());
        assertThat(mails("bob@acme.test", "booking-cancelled")).anySatisfy(m ->
                assertThat(m.path("body").asText()).contains(id).contains("by the operator").doesNotContain("olga"));
        // no access any more: the car is the operator's again
        assertProblem(app.http.postJson("/t/acme/cars/" + car + "/commands", bob, Map.of("type", "UNLOCK")), 403,
                "no booking of yours");
    }

    // --- extend -------------------------------------------------------------------------------------------------

    @Test
    void theBorrower_extendsTheEnd_auditedAndMailed_andRefusalsChangeNothing() {
        String car = car();
        Instant start = inHours(5);
        String id = book(bob, car, start, start.plus(Duration.ofHours(1))).text("id");
        String next = book(eve, car, start.plus(Duration.ofHours(3)), start.plus(Duration.ofHours(4))).text("id");
        Instant later = start.plus(Duration.ofHours(2));

        JsonNode extended = expect(200, app.http.postJson("/t/acme/bookings/" + id + "/extend", bob,
                Map.of("end", later.toString()))).json();
        assertThat(Instant.parse(extended.path("end").asText())).isEqualTo(later);
        assertThat(audit(id, car)).extracting(AuditEntry::action).contains("booking.extend");
        assertThat(mails("bob@acme.test", "booking-extended")).anySatisfy(m ->
                assertThat(m.path("body").asText()).contains(id).contains(later.toString()));

        int audited = audit(id, car).size();
        assertProblem(extend(bob, id, later), 400, "later than the current end");
        assertProblem(extend(bob, id, later.minusSeconds(600)), 400, "later than the current end");
        assertProblem(extend(bob, id, start.plus(Duration.ofHours(3)).plusSeconds(1)), 409, "already booked");
        assertProblem(extend(eve, id, later.plusSeconds(60)), 403, BookingService.NOT_YOURS);
        assertProblem(app.http.postJson("/t/acme/bookings/" + id + "/extend", bob, Map.of()), 400, "end is required");
        assertProblem(app.http.postJson("/t/acme/bookings/" + id + "/extend", bob, Map.of("end", "tomorrow")), 400, "");
        expect(200, app.http.delete("/t/acme/bookings/" + next, eve));
        assertProblem(extend(bob, id, start.plus(Duration.ofDays(32))), 400, "at most 31 days");
        assertThat(Instant.parse(expect(200, app.http.get("/t/acme/bookings/" + id, bob)).text("end"))).isEqualTo(later);
        assertThat(audit(id, car)).hasSize(audited);

        // an operator may extend too; a cancelled booking cannot be
        expect(200, extend(operator, id, later.plus(Duration.ofHours(1))));
        expect(200, app.http.delete("/t/acme/bookings/" + id, bob));
        assertProblem(extend(bob, id, later.plus(Duration.ofHours(3))), 409, "is CANCELLED");
    }

    // --- list ---------------------------------------------------------------------------------------------------

    @Test
    void theList_isPaged_inAStableOrder_withATotalAndANextLink_andFiltered() {
        String email = "lister" + (++users) + "@acme.test";
        String lister = app.user("acme", admin, email, "borrower");
        String listerId = expect(200, app.http.get("/t/acme/users/me", lister)).text("id");
        String carA = car();
        String carB = car();
        Instant base = inHours(24);
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            String car = i % 2 == 0 ? carA : carB;
            ids.add(book(lister, car, base.plus(Duration.ofHours(i)), base.plus(Duration.ofHours(i)).plusSeconds(1800)).text("id"));
        }
        expect(200, app.http.delete("/t/acme/bookings/" + ids.get(1), lister));

        JsonNode first = expect(200, app.http.get("/t/acme/bookings?size=2", lister)).json();
        assertThat(first.path("total").asLong()).isEqualTo(5);
        assertThat(first.path("page").asInt()).isZero();
        List<String> seen = new ArrayList<>(ids(first));
        JsonNode page = first;
        while (page.has("next")) {
            page = expect(200, app.http.get(page.path("next").asText(), lister)).json();
            seen.addAll(ids(page));
        }
        assertThat(seen).containsExactlyElementsOf(ids);
        assertThat(page.path("page").asInt()).isEqualTo(2);

        assertThat(ids(expect(200, app.http.get("/t/acme/bookings?state=CANCELLED", lister)).json()))
                .containsExactly(ids.get(1));
        assertThat(ids(expect(200, app.http.get("/t/acme/bookings?state=confirmed,CANCELLED&carId=" + carB, lister)).json()))
                .containsExactly(ids.get(1), ids.get(3));
        assertThat(ids(expect(200, app.http.get("/t/acme/bookings?state=CONFIRMED&state=CANCELLED&carId=" + carA, lister)).json()))
                .containsExactly(ids.get(0), ids.get(2), ids.get(4));
        assertThat(ids(expect(200, app.http.get("/t/acme/bookings?from=" + base.plus(Duration.ofMinutes(80)) + "&to="
                + base.plus(Duration.ofHours(3)), lister)).json())).containsExactly(ids.get(1), ids.get(2));
        assertThat(ids(expect(200, app.http.get("/t/acme/bookings?size=200&userId=" + listerId, operator)).json()))
                .containsExactlyElementsOf(ids);
        // another borrower sees none of them, whatever they filter by
        assertThat(ids(expect(200, app.http.get("/t/acme/bookings?size=200&userId=" + listerId, eve)).json())).isEmpty();

        assertProblem(app.http.get("/t/acme/bookings?state=PARKED", lister), 400, "state must be one of");
        assertProblem(app.http.get("/t/acme/bookings?size=0", lister), 400, "size must be");
        assertProblem(app.http.get("/t/acme/bookings?size=201", lister), 400, "size must be");
        assertProblem(app.http.get("/t/acme/bookings?page=-1", lister), 400, "page must be");
        assertProblem(app.http.get("/t/acme/bookings?from=" + base + "&to=" + base, lister), 400, "to must be after from");
        assertProblem(app.http.get("/t/acme/bookings?from=soon", lister), 400, "from must be an ISO-8601 instant");
    }

    // --- immediate reservations and the sweep ---------------------------------------------------------------------

    @Test
    void anImmediateReservation_lapsesAfterTheHold_asNoShow_onceEvenWhenTwoSweepsRace_freeingTheCar() throws Exception {
        String car = car();
        Instant now = app.clock().instant();
        JsonNode reserved = expect(201, app.http.postJson("/t/acme/bookings", bob, Map.of("carId", car, "immediate", true))).json();
        String id = reserved.path("id").asText();
        assertThat(reserved.path("kind").asText()).isEqualTo("IMMEDIATE");
        assertThat(Duration.between(Instant.parse(reserved.path("start").asText()), Instant.parse(reserved.path("end").asText())))
                .isEqualTo(Duration.ofHours(1));
        assertThat(Duration.between(Instant.parse(reserved.path("start").asText()), Instant.parse(reserved.path("holdUntil").asText())))
                .isEqualTo(Duration.ofMinutes(15));
        assertThat(Instant.parse(reserved.path("start").asText())).isBetween(now.minusSeconds(5), now.plusSeconds(5));
        assertThat(mails("bob@acme.test", "booking-confirmed")).anySatisfy(m -> assertThat(m.path("body").asText()).contains(id));
        assertProblem(book(eve, car, inHours(0).plusSeconds(60), inHours(1)), 409, "already booked");

        advance(Duration.ofMinutes(14));
        assertThat(sweep()).doesNotContain(id);
        assertThat(state(id)).isEqualTo("CONFIRMED");

        advance(Duration.ofMinutes(2));
        // within the window but past the hold: the reservation no longer opens the car, even before a sweep
        assertProblem(app.http.postJson("/t/acme/cars/" + car + "/commands", bob, Map.of("type", "UNLOCK")), 403,
                "no booking of yours");
        // nor does it hold the car for others any more
        assertThat(service().blocked("acme", car, app.clock().instant(), app.clock().instant().plusSeconds(60))).isFalse();
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            BookingSweep sweep = app.context().getBean(BookingSweep.class);
            Callable<List<Booking>> call = sweep::sweep;
            List<Future<List<Booking>>> both = pool.invokeAll(List.of(call, call));
            long marked = 0;
            for (Future<List<Booking>> f : both) {
                marked += f.get().stream().filter(b -> b.id().equals(id)).count();
            }
            assertThat(marked).isEqualTo(1);
        } finally {
            pool.shutdownNow();
        }
        JsonNode lapsed = expect(200, app.http.get("/t/acme/bookings/" + id, bob)).json();
        assertThat(lapsed.path("state").asText()).isEqualTo("NO_SHOW");
        assertThat(lapsed.has("lapsedAt")).isTrue();
        assertThat(audit(id, car)).filteredOn(e -> e.action().equals("booking.no-show"))
                .extracting(AuditEntry::actor).containsExactly(AuditEntry.SYSTEM);
        assertThat(mails("bob@acme.test", "booking-no-show")).filteredOn(m -> m.path("body").asText().contains(id)).hasSize(1);
        Instant later = app.clock().instant();
        expect(201, book(eve, car, later, later.plus(Duration.ofMinutes(30))));
        assertProblem(app.http.postJson("/t/acme/bookings/" + id + "/cancel", bob, Map.of()), 409, "is NO_SHOW");
    }

    @Test
    void anImmediateReservation_withAnEnd_andItsRefusals() {
        String car = car();
        Instant end = inHours(3);
        JsonNode reserved = expect(201, app.http.postJson("/t/acme/bookings", bob,
                Map.of("carId", car, "immediate", true, "end", end.toString()))).json();
        assertThat(Instant.parse(reserved.path("end").asText())).isEqualTo(end);
        assertProblem(app.http.postJson("/t/acme/bookings", eve, Map.of("carId", car, "immediate", true)), 409, "already booked");
        assertProblem(app.http.postJson("/t/acme/bookings", eve, Map.of("carId", car(), "immediate", true,
                "start", inHours(1).toString())), 400, "leave start out");
        assertProblem(app.http.postJson("/t/acme/bookings", eve, Map.of("carId", car(), "immediate", true,
                "end", inHours(-1).toString())), 400, "end must be");
        assertProblem(app.http.postJson("/t/acme/bookings", eve, Map.of("carId", "no-such-car", "immediate", true)), 404,
                "unknown car");
        assertThat(ids(expect(200, app.http.get("/t/acme/bookings?size=200&carId=" + car, operator)).json()))
                .containsExactly(reserved.path("id").asText());
    }

    @Test
    void aScheduledBooking_neverStartedByItsEnd_becomesNoShow() {
        String car = car();
        Instant start = inHours(1);
        String id = book(bob, car, start, start.plus(Duration.ofHours(1))).text("id");
        advance(Duration.ofMinutes(90));
        assertThat(sweep()).doesNotContain(id);
        assertThat(state(id)).isEqualTo("CONFIRMED");
        advance(Duration.ofMinutes(31));
        assertThat(sweep()).contains(id);
        assertThat(state(id)).isEqualTo("NO_SHOW");
        assertThat(mails("bob@acme.test", "booking-no-show")).anySatisfy(m -> assertThat(m.path("body").asText()).contains(id));
    }

    // --- start, end, overdue --------------------------------------------------------------------------------------

    @Test
    void theFirstExecutedUnlock_atTheDevice_startsTheRental_thenEndLeavesNoAccess() throws Exception {
        String car = car();
        String device = "dev-" + car;
        JsonNode discovery = expect(200, app.http.get("/t/acme/.well-known/latchkey-device", null)).json();
        try (TestDevice dev = new TestDevice(app, "acme", device, TestDevice.keys(discovery), app.clock())) {
            Instant now = app.clock().instant();
            String id = book(bob, car, now.minusSeconds(60), now.plus(Duration.ofHours(2))).text("id");
            // an operator's unlock does not start the borrower's rental
            expect(200, app.http.postJson("/t/acme/cars/" + car + "/commands", operator, Map.of("type", "UNLOCK")));
            assertThat(state(id)).isEqualTo("CONFIRMED");

            expect(200, app.http.postJson("/t/acme/cars/" + car + "/commands", bob, Map.of("type", "UNLOCK")));
            await().atMost(Duration.ofSeconds(10)).until(() -> state(id).equals("ACTIVE"));
            JsonNode active = expect(200, app.http.get("/t/acme/bookings/" + id, bob)).json();
            assertThat(active.has("startedAt")).isTrue();
            assertThat(audit(id, car)).extracting(AuditEntry::action, AuditEntry::actor)
                    .containsOnlyOnce(org.assertj.core.groups.Tuple.tuple("booking.start", bobId));
            // a second unlock changes nothing
            expect(200, app.http.postJson("/t/acme/cars/" + car + "/commands", bob, Map.of("type", "LOCK")));
            expect(200, app.http.postJson("/t/acme/cars/" + car + "/commands", bob, Map.of("type", "UNLOCK")));
            Thread.sleep(300);
            assertThat(expect(200, app.http.get("/t/acme/bookings/" + id, bob)).text("startedAt"))
                    .isEqualTo(active.path("startedAt").asText());

            Booking ended = service().end("acme", id, bobId, app.clock().instant());
            assertThat(ended.state()).isEqualTo(Booking.State.ENDED);
            assertThat(audit(id, car)).extracting(AuditEntry::action).contains("booking.end");
            assertProblem(app.http.postJson("/t/acme/cars/" + car + "/commands", bob, Map.of("type", "LOCK")), 403,
                    "no booking of yours");
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> service().end("acme", id, bobId, app.clock().instant()))
                    .isInstanceOf(io.latchkey.cloud.ConflictException.class).hasMessageContaining("only an active rental");
        }
    }

    @Test
    void anActiveBookingPastItsEnd_isMarkedOverdueOnce_keepsTheCar_andAnExtensionClearsIt() {
        String car = car();
        Instant now = app.clock().instant();
        String id = book(bob, car, now.minusSeconds(60), now.plus(Duration.ofHours(1))).text("id");
        assertThat(service().markOverdue("acme", id, app.clock().instant())).isEmpty();
        service().started("acme", car, bobId, app.clock().instant());
        assertThat(service().markOverdue("acme", id, app.clock().instant())).isEmpty();

        advance(Duration.ofMinutes(70));
        // past its end and not marked: it holds nothing any more (a rental nobody ended does not keep the car for ever)
        assertThat(service().coversNow("acme", car, bobId)).isFalse();
        assertThat(service().markOverdue("acme", id, app.clock().instant())).isPresent();
        assertThat(service().coversNow("acme", car, bobId)).isTrue();
        assertThat(service().markOverdue("acme", id, app.clock().instant())).isEmpty();
        assertThat(audit(id, car)).filteredOn(e -> e.action().equals("booking.overdue")).hasSize(1);
        JsonNode overdue = expect(200, app.http.get("/t/acme/bookings/" + id, bob)).json();
        assertThat(overdue.path("overdue").asBoolean()).isTrue();
        assertThat(overdue.path("state").asText()).isEqualTo("ACTIVE");
        // the borrower still has the car (and can lock it); nobody else can take it
        assertThat(sweep()).doesNotContain(id);
        Instant t = app.clock().instant();
        assertProblem(book(eve, car, t, t.plus(Duration.ofMinutes(30))), 409, "already booked");
        JsonNode extended = expect(200, extend(bob, id, t.plus(Duration.ofHours(1)))).json();
        assertThat(extended.path("overdue").asBoolean()).isFalse();
    }

    // --- helpers --------------------------------------------------------------------------------------------------

    private String car() {
        String id = "lc-" + (++cars);
        app.car("acme", operator, id, "dev-" + id);
        return id;
    }

    private BookingService service() {
        return app.context().getBean(BookingService.class);
    }

    private List<String> sweep() {
        return app.context().getBean(BookingSweep.class).sweep().stream().map(Booking::id).toList();
    }

    private Instant inHours(long hours) {
        return app.clock().instant().plus(Duration.ofHours(hours));
    }

    private Http.Reply book(String token, String carId, Instant start, Instant end) {
        return app.http.postJson("/t/acme/bookings", token, Map.of("carId", carId, "start", start.toString(), "end", end.toString()));
    }

    private Http.Reply extend(String token, String id, Instant end) {
        return app.http.postJson("/t/acme/bookings/" + id + "/extend", token, Map.of("end", end.toString()));
    }

    private String state(String id) {
        return expect(200, app.http.get("/t/acme/bookings/" + id, operator)).text("state");
    }

    private static List<String> ids(JsonNode page) {
        List<String> ids = new ArrayList<>();
        page.path("items").forEach(b -> ids.add(b.path("id").asText()));
        return ids;
    }

    private List<AuditEntry> audit(String bookingId, String carId) {
        return app.context().getBean(RecordingAuditLog.class).of("acme", "booking/" + bookingId + " car/" + carId);
    }

    private List<JsonNode> mails(String email, String kind) {
        return Mailbox.messagesTo(dataDir, "acme", email).stream().filter(m -> m.path("kind").asText().equals(kind)).toList();
    }

    static void assertProblem(Http.Reply reply, int status, String detail) {
        assertThat(reply.status()).as(reply.body()).isEqualTo(status);
        assertThat(reply.text("detail")).contains(detail);
    }
}
