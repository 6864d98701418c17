package io.latchkey.cloud.account;

import static io.latchkey.cloud.it.CloudApp.PASSWORD;
import static io.latchkey.cloud.it.CloudApp.expect;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.latchkey.cloud.it.CloudApp;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The PII visibility table of docs/security.md, field by field: who (caller) sees which fields of whose
 * (target) profile. Bea borrows Oscar's car right now; Carl is another borrower; Olga an operator.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class WhoSeesWhatIT {
    static final Set<String> ALWAYS = Set.of("id", "displayName", "roles");
    static final Set<String> ALL = Set.of("id", "displayName", "roles", "name", "email", "phone", "driverLicence",
            "dateOfBirth", "status");
    static final Set<String> OPERATOR = Set.of("id", "displayName", "roles", "name", "email", "status");
    static final Set<String> PARTNER = Set.of("id", "displayName", "roles", "email", "phone");

    @TempDir
    static Path dataDir;
    CloudApp app;
    final Map<String, String> ids = new HashMap<>();
    final Map<String, String> tokens = new HashMap<>();

    @BeforeAll
    void start() {
        app = CloudApp.start(dataDir, Map.of());
        String admin = app.tenantWithAdmin("acme");
        tokens.put("admin", admin);
        ids.put("admin", expect(200, app.http.get("/t/acme/users/me", admin)).text("id"));
        String operator = app.user("acme", admin, "olga@acme.test", "operator");
        tokens.put("olga", operator);
        ids.put("olga", expect(200, app.http.get("/t/acme/users/me", operator)).text("id"));
        person(admin, "oscar", "Oscar Owner", "owner", "+49 30 111111", "OSC111", "1970-01-01");
        person(admin, "bea", "Bea Borrower", "borrower", "+49 30 222222", "BEA222", "1991-02-02");
        person(admin, "carl", "Carl Castle", "borrower", "+49 30 333333", "CAR333", "1992-03-03");
        app.car("acme", operator, "car-1", "dev-001");
        expect(200, app.http.send(io.micronaut.http.HttpRequest.PUT("/t/acme/cars/car-1/owner",
                "{\"userId\":\"" + ids.get("oscar") + "\"}").contentType("application/json").bearerAuth(operator)));
        Instant now = app.clock().instant();
        expect(201, app.http.postJson("/t/acme/bookings", tokens.get("bea"), Map.of("carId", "car-1",
                "start", now.minusSeconds(60).toString(), "end", now.plus(Duration.ofHours(2)).toString())));
    }

    @AfterAll
    void stop() {
        if (app != null) {
            app.close();
        }
    }

    static Stream<Arguments> table() {
        return Stream.of(
                Arguments.of("bea", "bea", ALL),
                Arguments.of("carl", "bea", ALWAYS),
                Arguments.of("olga", "bea", OPERATOR),
                Arguments.of("admin", "bea", OPERATOR),
                Arguments.of("oscar", "bea", PARTNER),
                Arguments.of("bea", "oscar", PARTNER),
                Arguments.of("carl", "oscar", ALWAYS),
                Arguments.of("oscar", "carl", ALWAYS),
                Arguments.of("bea", "carl", ALWAYS),
                Arguments.of("bea", "olga", ALWAYS));
    }

    @ParameterizedTest(name = "{0} sees {2} of {1}")
    @MethodSource("table")
    void caller_seesExactlyTheFieldsTheTableAllows(String caller, String target, Set<String> visible) {
        JsonNode profile = expect(200, app.http.get("/t/acme/users/" + ids.get(target), tokens.get(caller))).json();
        for (String field : ALL) {
            assertThat(profile.has(field)).as(caller + " sees " + field + " of " + target).isEqualTo(visible.contains(field));
        }
    }

    @Test
    void sanitisedProfile_showsADisplayName_notTheFullName() {
        JsonNode profile = expect(200, app.http.get("/t/acme/users/" + ids.get("bea"), tokens.get("carl"))).json();
        assertThat(profile.path("displayName").asText()).isEqualTo("Bea B.");
        assertThat(profile.toString()).doesNotContain("Borrower").doesNotContain("222222");
    }

    @Test
    void ownerAndBorrower_seeEachOthersPhone_onlyWhileTheBookingIsActive() {
        app.clock().advance(Duration.ofHours(3));
        try {
            String oscar = app.token("acme", "oscar@acme.test");
            String bea = app.token("acme", "bea@acme.test");
            assertThat(expect(200, app.http.get("/t/acme/users/" + ids.get("bea"), oscar)).json().has("phone")).isFalse();
            assertThat(expect(200, app.http.get("/t/acme/users/" + ids.get("oscar"), bea)).json().has("email")).isFalse();
        } finally {
            app.clock().reset();
        }
    }

    @Test
    void anOwner_listsTheBookingsOfTheirCars() {
        List<JsonNode> bookings = list(expect(200, app.http.get("/t/acme/bookings", tokens.get("oscar"))).json());
        assertThat(bookings).extracting(b -> b.path("userId").asText()).containsExactly(ids.get("bea"));
        assertThat(list(expect(200, app.http.get("/t/acme/bookings", tokens.get("carl"))).json())).isEmpty();
    }

    @Test
    void onlyAUserWithTheOwnerRole_canOwnACar() {
        assertThat(app.http.send(io.micronaut.http.HttpRequest.PUT("/t/acme/cars/car-1/owner",
                "{\"userId\":\"" + ids.get("carl") + "\"}").contentType("application/json").bearerAuth(tokens.get("olga")))
                .status()).isEqualTo(400);
        assertThat(app.http.send(io.micronaut.http.HttpRequest.PUT("/t/acme/cars/car-1/owner",
                "{\"userId\":\"" + ids.get("carl") + "\"}").contentType("application/json").bearerAuth(tokens.get("bea")))
                .status()).isEqualTo(403);
    }

    private void person(String admin, String key, String name, String role, String phone, String licence, String born) {
        String email = key + "@acme.test";
        ids.put(key, expect(201, app.http.postJson("/t/acme/users", admin,
                Map.of("email", email, "name", name, "password", PASSWORD, "roles", List.of(role)))).text("id"));
        String token = app.token("acme", email);
        expect(200, app.http.patchJson("/t/acme/users/me", token,
                Map.of("phone", phone, "driverLicence", licence, "dateOfBirth", born)));
        tokens.put(key, token);
    }

    /** The items of a page of bookings. */
    private static List<JsonNode> list(JsonNode page) {
        List<JsonNode> items = new java.util.ArrayList<>();
        page.path("items").forEach(items::add);
        return items;
    }
}
