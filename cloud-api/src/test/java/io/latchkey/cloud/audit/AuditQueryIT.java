package io.latchkey.cloud.audit;

import static io.latchkey.cloud.it.CloudApp.expect;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.latchkey.cloud.event.Events;
import io.latchkey.cloud.it.Browser;
import io.latchkey.cloud.it.CloudApp;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/** The audit trail's filters and paging (GET /audit), and the events' alert filter the console's alerts page uses. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AuditQueryIT {
    @TempDir
    static Path dataDir;
    CloudApp app;
    String admin;
    String adminId;
    String operator;
    String operatorId;

    @BeforeAll
    void start() {
        app = CloudApp.start(dataDir, Map.of());
        admin = app.tenantWithAdmin("acme");
        adminId = expect(200, app.http.get("/t/acme/users/me", admin)).text("id");
        operator = app.user("acme", admin, "olga@acme.test", "operator");
        operatorId = expect(200, app.http.get("/t/acme/users/me", operator)).text("id");
        app.car("acme", operator, "car-1", "dev-001");
    }

    @AfterAll
    void stop() {
        if (app != null) {
            app.close();
        }
    }

    @Test
    void filters_byActionPrefix_actor_andTime_newestMatchesOldestFirst() {
        for (int i = 0; i < 3; i++) {
            String bob = app.user("acme", admin, "bob" + i + "@acme.test", "borrower");
            String bobId = expect(200, app.http.get("/t/acme/users/me", bob)).text("id");
            expect(204, app.http.postJson("/t/acme/users/" + bobId + "/lock", operator, Map.of()));
        }
        JsonNode locks = expect(200, app.http.get("/t/acme/audit?action=user.lock", admin)).json();
        assertThat(actions(locks)).containsExactly("user.lock", "user.lock", "user.lock");
        assertThat(locks.get(0).path("index").asLong()).isLessThan(locks.get(2).path("index").asLong());
        assertThat(actions(expect(200, app.http.get("/t/acme/audit?action=user&limit=1000", admin)).json()))
                .contains("user.register", "user.lock").allMatch(a -> a.startsWith("user."));
        assertThat(actions(expect(200, app.http.get("/t/acme/audit?action=use", admin)).json())).as("a prefix ends at a dot").isEmpty();
        JsonNode byOperator = expect(200, app.http.get("/t/acme/audit?actor=" + operatorId + "&limit=1000", admin)).json();
        assertThat(byOperator).isNotEmpty().allMatch(r -> r.path("actor").asText().equals(operatorId));
        assertThat(actions(byOperator)).contains("car.create", "user.lock");

        Instant now = Instant.now();
        assertThat(expect(200, app.http.get("/t/acme/audit?from=" + now.plus(Duration.ofMinutes(1)), admin)).json()).isEmpty();
        assertThat(expect(200, app.http.get("/t/acme/audit?to=" + now.minus(Duration.ofDays(1)), admin)).json()).isEmpty();
        assertThat(expect(200, app.http.get("/t/acme/audit?from=" + now.minus(Duration.ofDays(1)) + "&to="
                + now.plus(Duration.ofMinutes(1)) + "&action=user.lock", admin)).json()).hasSize(3);
    }

    @Test
    void cursor_pagesToOlderRecords_andTheLinkHeaderSaysWhenThereAreMore() {
        Browser browser = app.browser();
        Map<String, String> bearer = Map.of("Authorization", "Bearer " + admin);
        List<Long> seen = new ArrayList<>();
        String next = "/t/acme/audit?limit=2&action=user";
        int pages = 0;
        while (next != null) {
            Browser.Page page = browser.call("GET", next, null, bearer);
            assertThat(page.status()).isEqualTo(200);
            JsonNode records = json(page.body());
            List<Long> indexes = new ArrayList<>();
            records.forEach(r -> indexes.add(r.path("index").asLong()));
            assertThat(indexes).isSorted();
            seen.addAll(0, indexes);
            String link = page.header("Link");
            next = link.isEmpty() ? null : link.replaceAll("^<([^>]+)>; rel=\"next\"$", "$1");
            if (next != null) {
                assertThat(next).contains("cursor=" + indexes.get(0), "action=user", "limit=2");
            }
            pages++;
        }
        JsonNode all = expect(200, app.http.get("/t/acme/audit?action=user&limit=1000", admin)).json();
        List<Long> expected = new ArrayList<>();
        all.forEach(r -> expected.add(r.path("index").asLong()));
        assertThat(seen).isEqualTo(expected);
        assertThat(pages).isEqualTo((expected.size() + 1) / 2);

        JsonNode newest = expect(200, app.http.get("/t/acme/audit?limit=1", admin)).json();
        long last = newest.get(0).path("index").asLong();
        assertThat(browser.call("GET", "/t/acme/audit?limit=1", null, bearer).header("Link"))
                .isEqualTo("</t/acme/audit?limit=1&cursor=" + last + ">; rel=\"next\"");
        assertThat(expect(200, app.http.get("/t/acme/audit?cursor=1", admin)).json().get(0).path("index").asLong()).isZero();
        assertThat(browser.call("GET", "/t/acme/audit?cursor=1", null, bearer).header("Link")).isEmpty();
    }

    @Test
    void badFilters_areRefused() {
        for (String bad : List.of("from=yesterday", "to=2026-13-01T00:00:00Z", "from=2026-05-02T00:00:00Z&to=2026-05-01T00:00:00Z",
                "action=User.Lock", "action=user.", "action=..", "actor=%00", "cursor=-1", "cursor=x", "limit=0", "limit=1001")) {
            expect(400, app.http.get("/t/acme/audit?" + bad, admin));
        }
        expect(403, app.http.get("/t/acme/audit?action=user", operator));
    }

    @Test
    void events_alertFilter_listsOnlyAlerts_openOnesWithAcknowledgedFalse() {
        Events events = app.context().getBean(Events.class);
        String tamper = events.raise("acme", "car-1", "TAMPER", Map.of("signal", "obd-port")).id();
        String note = events.raise("acme", "car-1", "VOLTAGE_OK", Map.of()).id();
        String acked = events.raise("acme", "car-1", "LOW_VOLTAGE", Map.of()).id();
        expect(200, app.http.postJson("/t/acme/events/" + acked + "/ack", operator, Map.of()));

        assertThat(eventIds("alert=true&acknowledged=false")).contains(tamper).doesNotContain(note, acked);
        assertThat(eventIds("alert=true")).contains(tamper, acked).doesNotContain(note);
        assertThat(eventIds("alert=false")).contains(note).doesNotContain(tamper, acked);
        expect(400, app.http.get("/t/acme/events?alert=yes", operator));
    }

    private List<String> eventIds(String query) {
        List<String> ids = new ArrayList<>();
        expect(200, app.http.get("/t/acme/events?" + query, operator)).json().path("events").forEach(e -> ids.add(e.path("id").asText()));
        return ids;
    }

    private static List<String> actions(JsonNode records) {
        List<String> actions = new ArrayList<>();
        records.forEach(r -> actions.add(r.path("action").asText()));
        return actions;
    }

    private static JsonNode json(String body) {
        try {
            return io.latchkey.protocol.Json.mapper().readTree(body);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
