package io.latchkey.simulator.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import io.latchkey.simulator.api.ApiTypes.BookingFilter;
import io.latchkey.simulator.api.ApiTypes.EndAnswer;
import io.latchkey.simulator.route.GeoPoint;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The client's new routes against a stand-in server: what it sends, and how it reads each kind of answer. */
class LatchkeyClientTest {
    private HttpServer server;
    private LatchkeyClient api;
    private final Map<String, String> requests = new ConcurrentHashMap<>();
    private final Map<String, Object[]> answers = new ConcurrentHashMap<>();

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            String path = exchange.getRequestURI().getPath();
            String query = exchange.getRequestURI().getQuery(); // decoded
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            requests.put(exchange.getRequestMethod() + " " + path, (query == null ? "" : query) + "|" + body);
            Object[] answer = answers.getOrDefault(path, new Object[] {404, "{\"status\":404}"});
            byte[] bytes = ((String) answer[1]).getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders((int) answer[0], bytes.length);
            exchange.getResponseBody().write(bytes);
            exchange.close();
        });
        server.start();
        api = new LatchkeyClient("http://127.0.0.1:" + server.getAddress().getPort(), Duration.ofSeconds(5));
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    @Test
    void aDeviceCertificate_bringsTheKeySetKeys_andTheSimulatedCarPinsThem() throws Exception {
        java.security.KeyPair ks = java.security.KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        String ksKey = java.util.Base64.getEncoder().encodeToString(ks.getPublic().getEncoded());
        answers.put("/t/acme/devices/dev-1/certificate", new Object[] {201, "{\"certificate\":\"-----BEGIN CERTIFICATE-----\","
                + "\"commandKeys\":[],\"keySetKeys\":[{\"kid\":\"ks-1\",\"alg\":\"Ed25519\",\"publicKey\":\"" + ksKey + "\"}]}"});
        ApiTypes.IssuedCertificate issued = api.issueDeviceCertificate("tok", "acme", "dev-1", "car-1", "CSR");
        assertThat(issued.certificate()).startsWith("-----BEGIN CERTIFICATE-----");
        assertThat(issued.keySetKeys()).extracting(ApiTypes.CommandKey::kid).containsExactly("ks-1");

        // without them a simulated car refuses every key set the backend sends (a warning per car at connect)
        java.security.KeyPair device = java.security.KeyPairGenerator.getInstance("EC").generateKeyPair();
        var name = new org.bouncycastle.asn1.x500.X500Name("CN=dev-1, O=acme");
        java.security.cert.X509Certificate certificate = new org.bouncycastle.cert.jcajce.JcaX509CertificateConverter()
                .getCertificate(new org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder(name, java.math.BigInteger.ONE,
                        new java.util.Date(), new java.util.Date(System.currentTimeMillis() + 60_000), name, device.getPublic())
                        .build(new org.bouncycastle.operator.jcajce.JcaContentSignerBuilder("SHA256withECDSA").build(device.getPrivate())));
        DeviceEnrolment.EnrolledDevice enrolled = new DeviceEnrolment.EnrolledDevice("dev-1", device.getPrivate(), certificate,
                issued.keySetKeys());
        var config = io.latchkey.simulator.scenario.AgentConfigs.fromDiscovery(
                new ApiTypes.DeviceDiscovery("acme", "tcp://127.0.0.1:1883", List.of(new ApiTypes.CommandKey("cmd-1", "Ed25519",
                        java.util.Base64.getEncoder().encodeToString(java.security.KeyPairGenerator.getInstance("Ed25519")
                                .generateKeyPair().getPublic().getEncoded())))), enrolled,
                java.nio.file.Path.of("target/agents"), Duration.ofSeconds(5), Duration.ofSeconds(60));
        assertThat(config.keySetKeys()).containsOnlyKeys("ks-1");
        assertThat(config.keySetKeys().get("ks-1")).isEqualTo(ks.getPublic());
    }

    @Test
    void end_refusedByTheCar_ended_andNotActive_areAllAnswers() {
        answers.put("/t/acme/bookings/b-1/end", new Object[] {200, "{\"ended\":false,\"failed\":[\"DOOR_OPEN: rear left\",\"KEY_NOT_IN_HOLDER\"]}"});
        EndAnswer refused = api.endBooking("tok", "acme", "b-1");
        assertThat(refused.isRefusedByTheCar()).isTrue();
        assertThat(refused.isEnded()).isFalse();
        assertThat(refused.failed()).containsExactly("DOOR_OPEN: rear left", "KEY_NOT_IN_HOLDER");

        answers.put("/t/acme/bookings/b-2/end", new Object[] {200, "{\"ended\":true,\"booking\":{\"id\":\"b-2\",\"state\":\"ENDED\","
                + "\"overdue\":true},\"receipt\":{\"bookingId\":\"b-2\",\"car\":\"Car 1 (B-LK 1)\",\"durationS\":600,"
                + "\"distanceKm\":2.7,\"tripCount\":1,\"drivingS\":120,\"overdue\":true,\"trips\":[{\"id\":\"t-1\"}]}}"});
        EndAnswer ended = api.endBooking("tok", "acme", "b-2");
        assertThat(ended.isEnded()).isTrue();
        assertThat(ended.booking().state()).isEqualTo("ENDED");
        assertThat(ended.booking().isOverdue()).isTrue();
        assertThat(ended.receipt().distanceKm()).isEqualTo(2.7);
        assertThat(ended.receipt().tripCount()).isEqualTo(1);
        assertThat(ended.receipt().trips()).extracting(ApiTypes.Trip::id).containsExactly("t-1");

        answers.put("/t/acme/bookings/b-3/end", new Object[] {409, "{\"status\":409,\"detail\":\"booking b-3 is ENDED\"}"});
        EndAnswer conflict = api.endBooking("tok", "acme", "b-3");
        assertThat(conflict.status()).isEqualTo(409);
        assertThat(conflict.isEnded()).isFalse();
        assertThat(conflict.isRefusedByTheCar()).isFalse();
        assertThat(conflict.problem()).contains("is ENDED");
    }

    @Test
    void reserveNow_sendsImmediate_andTheListAndAvailabilitySendTheirFilters() {
        answers.put("/t/acme/bookings", new Object[] {201, "{\"id\":\"b-9\",\"kind\":\"IMMEDIATE\",\"state\":\"CONFIRMED\","
                + "\"holdUntil\":\"2026-05-01T10:15:00Z\"}"});
        var b = api.reserveNow("tok", "acme", "car-1", null);
        assertThat(b.holdUntil()).isEqualTo(Instant.parse("2026-05-01T10:15:00Z"));
        assertThat(requests.get("POST /t/acme/bookings")).isEqualTo("|{\"carId\":\"car-1\",\"immediate\":true}");

        answers.put("/t/acme/bookings", new Object[] {200, "{\"items\":[],\"page\":1,\"size\":2,\"total\":3}"});
        var page = api.bookings("tok", "acme", BookingFilter.all().withCar("car-1").withStates("ACTIVE", "CONFIRMED").withPage(1, 2));
        assertThat(page.total()).isEqualTo(3);
        assertThat(page.next()).isNull();
        assertThat(requests.get("GET /t/acme/bookings")).startsWith("carId=car-1&state=ACTIVE&state=CONFIRMED&page=1&size=2|");

        answers.put("/t/acme/cars/available", new Object[] {200, "[{\"id\":\"car-7\",\"distanceM\":12,\"online\":true}]"});
        var free = api.availableCars("tok", "acme", Instant.parse("2026-05-01T10:00:00Z"), Instant.parse("2026-05-01T11:00:00Z"),
                new GeoPoint(52.52, 13.405), 500);
        assertThat(free).singleElement().satisfies(c -> assertThat(c.distanceM()).isEqualTo(12L));
        assertThat(requests.get("GET /t/acme/cars/available")).startsWith(
                "from=2026-05-01T10:00:00Z&to=2026-05-01T11:00:00Z&lat=52.52&lon=13.405&radiusM=500|");
    }

    @Test
    void eventsAndTrips_areRead_andAnErrorStatusThrowsWithIt() {
        answers.put("/t/acme/events", new Object[] {200, "{\"events\":[{\"id\":\"ev-1\",\"carId\":\"car-2\",\"type\":\"BOOKING_OVERDUE\","
                + "\"details\":{\"bookingId\":\"b-1\"}}],\"next\":null}"});
        assertThat(api.events("tok", "acme", null, "BOOKING_OVERDUE", 50).events())
                .extracting(ApiTypes.Event::carId).containsExactly("car-2");
        assertThat(requests.get("GET /t/acme/events")).startsWith("limit=50&type=BOOKING_OVERDUE|");

        answers.put("/t/acme/bookings/b-1/trips", new Object[] {200, "{\"bookingId\":\"b-1\",\"totals\":{\"trips\":[{\"id\":\"t-4\","
                + "\"ongoing\":false,\"gpsDistanceKm\":0.08}],\"count\":1,\"distanceKm\":0.0}}"});
        var trips = api.bookingTrips("tok", "acme", "b-1");
        assertThat(trips.totals().count()).isEqualTo(1);
        assertThat(trips.totals().trips().get(0).isOngoing()).isFalse();

        answers.put("/t/acme/events", new Object[] {200, "{}"}); // the backend leaves an empty list out
        assertThat(api.events("tok", "acme", null, null, 50).events()).isEmpty();

        answers.put("/t/acme/bookings/b-4", new Object[] {403, "{\"detail\":\"not a booking of yours\"}"});
        assertThatThrownBy(() -> api.booking("tok", "acme", "b-4")).isInstanceOf(ApiException.class)
                .satisfies(e -> assertThat(((ApiException) e).status()).isEqualTo(403));
        assertThat(List.of(requests.keySet().toArray())).contains("GET /t/acme/bookings/b-4");
    }
}
