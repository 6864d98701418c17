package io.latchkey.cloud.booking;

import static io.latchkey.cloud.booking.BookingLifecycleIT.assertProblem;
import static io.latchkey.cloud.it.CloudApp.expect;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.latchkey.cloud.car.CarRegistry;
import io.latchkey.cloud.car.CarState;
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

/** {@code GET /t/{tenant}/cars/available}: free cars for a window, near a position, and what it refuses. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AvailabilityIT {
    static final double LAT = 52.5200;
    static final double LON = 13.4050;

    @TempDir
    static Path dataDir;
    CloudApp app;
    String admin;
    String operator;
    String bob;
    Instant from;
    Instant to;

    @BeforeAll
    void start() {
        app = CloudApp.start(dataDir, Map.of("latchkey.bookings.sweep-interval", "1h"));
        admin = app.tenantWithAdmin("geo");
        operator = app.user("geo", admin, "olga@geo.test", "operator");
        bob = app.user("geo", admin, "bob@geo.test", "borrower");
        // about 0 m, 1.1 km and 11 km north of the point asked about
        car("g-near", LAT, LON, true);
        car("g-mid", LAT + 0.01, LON, true);
        car("g-far", LAT + 0.10, LON, true);
        car("g-nopos", null, null, true);
        car("g-booked", LAT, LON + 0.001, true);
        car("g-cancelled", LAT, LON + 0.002, true);
        car("g-nodevice", LAT, LON, false);
        car("g-revoked", LAT, LON, true);
        expect(200, app.http.postJson("/t/geo/devices/dev-g-revoked/decommission", admin, Map.of("reason", "removed")));

        from = app.clock().instant().plus(Duration.ofHours(2));
        to = from.plus(Duration.ofHours(3));
        String eve = app.user("geo", admin, "eve@geo.test", "borrower");
        book(eve, "g-booked", from.plus(Duration.ofHours(2)), from.plus(Duration.ofHours(4)));
        String cancelled = book(eve, "g-cancelled", from, to);
        expect(200, app.http.delete("/t/geo/bookings/" + cancelled, eve));
        // a booking of g-near that ends exactly when the window starts does not hold it
        book(eve, "g-near", from.minus(Duration.ofHours(1)), from);
    }

    @AfterAll
    void stop() {
        if (app != null) {
            app.close();
        }
    }

    @Test
    void withoutAPosition_everyFreeReachableCar_byId() {
        JsonNode cars = expect(200, app.http.get(path(from, to, ""), bob)).json();
        assertThat(ids(cars)).containsExactly("g-cancelled", "g-far", "g-mid", "g-near", "g-nopos");
        assertThat(cars.get(0).has("distanceM")).isFalse();
        assertThat(cars.get(3).path("lat").asDouble()).isEqualTo(LAT);
        // outside the booked part, the booked car is free
        JsonNode earlier = expect(200, app.http.get(path(from, from.plus(Duration.ofHours(2)), ""), bob)).json();
        assertThat(ids(earlier)).contains("g-booked").doesNotContain("g-nodevice", "g-revoked");
    }

    @Test
    void nearAPosition_nearestFirst_withDistances_unknownPositionsLast() {
        JsonNode cars = expect(200, app.http.get(path(from, to, "&lat=" + LAT + "&lon=" + LON), bob)).json();
        assertThat(ids(cars)).containsExactly("g-near", "g-cancelled", "g-mid", "g-far", "g-nopos");
        assertThat(cars.get(0).path("distanceM").asLong()).isZero();
        assertThat(cars.get(2).path("distanceM").asLong()).isBetween(1105L, 1120L);
        assertThat(cars.get(3).path("distanceM").asLong()).isBetween(11_100L, 11_150L);
        assertThat(cars.get(4).has("distanceM")).isFalse();
    }

    @Test
    void withARadius_onlyCarsKnownToBeWithinIt() {
        assertThat(ids(expect(200, app.http.get(path(from, to, "&lat=" + LAT + "&lon=" + LON + "&radiusM=2000"), bob)).json()))
                .containsExactly("g-near", "g-cancelled", "g-mid");
        assertThat(ids(expect(200, app.http.get(path(from, to, "&lat=" + LAT + "&lon=" + LON + "&radiusM=100"), operator)).json()))
                .containsExactly("g-near");
    }

    @Test
    void invalidQueries_are400_withTheReason() {
        Instant now = app.clock().instant();
        assertProblem(app.http.get("/t/geo/cars/available?to=" + to, bob), 400, "from and to are required");
        assertProblem(app.http.get(path(to, from, ""), bob), 400, "to must be after from");
        assertProblem(app.http.get(path(from, from, ""), bob), 400, "to must be after from");
        assertProblem(app.http.get(path(now.minus(Duration.ofHours(2)), now.minus(Duration.ofHours(1)), ""), bob), 400,
                "to must be in the future");
        assertProblem(app.http.get(path(from, from.plus(Duration.ofDays(32)), ""), bob), 400, "at most 31 days");
        assertProblem(app.http.get(path(now.plus(Duration.ofDays(91)), now.plus(Duration.ofDays(92)), ""), bob), 400,
                "at most 90 days ahead");
        assertProblem(app.http.get("/t/geo/cars/available?from=soon&to=" + to, bob), 400, "from must be an ISO-8601 instant");
        assertProblem(app.http.get(path(from, to, "&lat=91&lon=13"), bob), 400, "lat must be -90..90");
        assertProblem(app.http.get(path(from, to, "&lat=52&lon=-181"), bob), 400, "lon -180..180");
        assertProblem(app.http.get(path(from, to, "&lat=52"), bob), 400, "lat and lon go together");
        assertProblem(app.http.get(path(from, to, "&radiusM=500"), bob), 400, "radiusM needs lat and lon");
        assertProblem(app.http.get(path(from, to, "&lat=52&lon=13&radiusM=0"), bob), 400, "radiusM must be 1..100000");
        assertProblem(app.http.get(path(from, to, "&lat=52&lon=13&radiusM=100001"), bob), 400, "radiusM must be 1..100000");
        assertThat(app.http.get(path(from, to, "&lat=north&lon=13"), bob).status()).isEqualTo(400);
    }

    @Test
    void anInstaller_isNotOfferedCars() {
        String installer = app.user("geo", admin, "ian@geo.test", "installer");
        assertThat(app.http.get(path(from, to, ""), installer).status()).isEqualTo(403);
    }

    private void car(String id, Double lat, Double lon, boolean enrolled) {
        app.car("geo", operator, id, "dev-" + id);
        if (enrolled) {
            app.device("geo", "dev-" + id);
        }
        if (lat != null) {
            app.context().getBean(CarRegistry.class).updateState("geo", id, s -> new CarState(true, s.lockState(), s.doorsOpen(),
                    s.ignition(), lat, lon, 0.0, s.odometerKm(), s.lastSeq(), app.clock().instant(), s.fuelPercent(), s.socPercent(), s.immobilised()));
        }
    }

    private String book(String token, String carId, Instant start, Instant end) {
        return expect(201, app.http.postJson("/t/geo/bookings", token, Map.of("carId", carId, "start", start.toString(),
                "end", end.toString()))).text("id");
    }

    private static String path(Instant from, Instant to, String more) {
        return "/t/geo/cars/available?from=" + from + "&to=" + to + more;
    }

    private static List<String> ids(JsonNode cars) {
        List<String> ids = new ArrayList<>();
        cars.forEach(c -> ids.add(c.path("id").asText()));
        return ids;
    }

}
