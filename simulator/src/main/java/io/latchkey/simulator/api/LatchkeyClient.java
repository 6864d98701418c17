package io.latchkey.simulator.api;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.latchkey.protocol.Json;
import io.latchkey.simulator.api.ApiTypes.AvailableCar;
import io.latchkey.simulator.api.ApiTypes.Booking;
import io.latchkey.simulator.api.ApiTypes.BookingFilter;
import io.latchkey.simulator.api.ApiTypes.BookingPage;
import io.latchkey.simulator.api.ApiTypes.BookingTrips;
import io.latchkey.simulator.api.ApiTypes.EndAnswer;
import io.latchkey.simulator.api.ApiTypes.EventPage;
import io.latchkey.simulator.api.ApiTypes.TripPage;
import io.latchkey.simulator.api.ApiTypes.Car;
import io.latchkey.simulator.api.ApiTypes.CarDetail;
import io.latchkey.simulator.api.ApiTypes.CommandResponse;
import io.latchkey.simulator.api.ApiTypes.CommandResult;
import io.latchkey.simulator.api.ApiTypes.DeviceDiscovery;
import io.latchkey.simulator.api.ApiTypes.TelemetryRecord;
import io.latchkey.simulator.api.ApiTypes.Token;
import io.latchkey.simulator.api.ApiTypes.User;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import okhttp3.FormBody;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;

/**
 * The public HTTP API (docs/api.md) as virtual borrowers, operators and admins use it. Thread-safe;
 * one instance (one connection pool) is shared by all virtual people. Each call takes the caller's
 * access token, so the same client serves many users.
 */
public final class LatchkeyClient {
    private static final MediaType JSON = MediaType.get("application/json");

    private final OkHttpClient http;
    private final HttpUrl base;
    private final ObjectMapper mapper = Json.mapper();

    public LatchkeyClient(String baseUrl, Duration timeout) {
        this.base = Objects.requireNonNull(HttpUrl.parse(baseUrl), () -> "not an http(s) URL: " + baseUrl);
        okhttp3.Dispatcher dispatcher = new okhttp3.Dispatcher();
        // Virtual people share one client; OkHttp's default of 5 calls per host would queue them.
        dispatcher.setMaxRequests(512);
        dispatcher.setMaxRequestsPerHost(512);
        this.http = new OkHttpClient.Builder().callTimeout(timeout).readTimeout(timeout).dispatcher(dispatcher)
                .connectionPool(new okhttp3.ConnectionPool(64, 5, java.util.concurrent.TimeUnit.MINUTES)).build();
    }

    public String baseUrl() {
        return base.toString();
    }

    // --- identity -------------------------------------------------------------------------------

    public Token platformToken(String user, String password) {
        return call(post("/platform/oauth/token", null, passwordGrant(user, password)), Token.class);
    }

    public Token tenantToken(String tenant, String email, String password) {
        return call(post("/t/" + tenant + "/oauth/token", null, passwordGrant(email, password)), Token.class);
    }

    private static RequestBody passwordGrant(String user, String password) {
        return new FormBody.Builder().add("grant_type", "password").add("username", user).add("password", password).build();
    }

    public DeviceDiscovery deviceDiscovery(String tenant) {
        return call(get("/t/" + tenant + "/.well-known/latchkey-device", null), DeviceDiscovery.class);
    }

    // --- platform and users ---------------------------------------------------------------------

    public void createTenant(String platformToken, String id, String name) {
        call(post("/platform/tenants", platformToken, json(Map.of("id", id, "name", name))), Map.class);
    }

    public User createTenantAdmin(String platformToken, String tenant, String email, String name, String password) {
        return call(post("/platform/tenants/" + tenant + "/admins", platformToken,
                json(Map.of("email", email, "name", name, "password", password))), User.class);
    }

    /** Self-registration as a borrower ({@code adminToken} null), or a user with roles set by a tenant-admin. */
    public User register(String tenant, String adminToken, String email, String name, String password, List<String> roles) {
        Map<String, Object> body = new LinkedHashMap<>(Map.of("email", email, "name", name, "password", password));
        if (roles != null && !roles.isEmpty()) {
            body.put("roles", roles);
        }
        return call(post("/t/" + tenant + "/users", adminToken, json(body)), User.class);
    }

    // --- device identity ------------------------------------------------------------------------

    /** {@code POST /t/{tenant}/devices/{deviceId}/certificate} (installer or tenant-admin): the issued certificate, PEM. */
    public ApiTypes.IssuedCertificate issueDeviceCertificate(String token, String tenant, String deviceId, String carId,
                                                             String csrPem) {
        return call(post("/t/" + tenant + "/devices/" + deviceId + "/certificate", token,
                json(Map.of("carId", carId, "csr", csrPem))), ApiTypes.IssuedCertificate.class);
    }

    /** {@code POST /t/{tenant}/devices/{deviceId}/decommission}: revokes the device's active certificate. */
    public void decommissionDevice(String token, String tenant, String deviceId, String reason) {
        call(post("/t/" + tenant + "/devices/" + deviceId + "/decommission", token, json(Map.of("reason", reason))),
                com.fasterxml.jackson.databind.JsonNode.class);
    }

    // --- cars, bookings, commands ---------------------------------------------------------------

    public CarDetail createCar(String token, String tenant, String name, String plate, String deviceId) {
        return call(post("/t/" + tenant + "/cars", token,
                json(Map.of("name", name, "plate", plate, "deviceId", deviceId))), CarDetail.class);
    }

    /** One car of {@link #createCars}. */
    public record NewCar(String name, String plate, String deviceId) {
    }

    record RegisteredCars(List<CarDetail> cars) {
    }

    /**
     * {@code POST /t/{tenant}/cars/batch}: up to 1000 cars in one request, all or none; in the order given (their state
     * is not part of the answer: null).
     */
    public List<CarDetail> createCars(String token, String tenant, List<NewCar> cars) {
        return call(post("/t/" + tenant + "/cars/batch", token, json(Map.of("cars", cars))), RegisteredCars.class).cars();
    }

    public List<Car> cars(String token, String tenant) {
        return call(get("/t/" + tenant + "/cars", token), new TypeReference<List<Car>>() { });
    }

    public CarDetail car(String token, String tenant, String carId) {
        return call(get("/t/" + tenant + "/cars/" + carId, token), CarDetail.class);
    }

    public List<TelemetryRecord> telemetry(String token, String tenant, String carId, int limit) {
        return call(get("/t/" + tenant + "/cars/" + carId + "/telemetry?limit=" + limit, token),
                new TypeReference<List<TelemetryRecord>>() { });
    }

    public Booking book(String token, String tenant, String carId, Instant start, Instant end) {
        return call(post("/t/" + tenant + "/bookings", token,
                json(Map.of("carId", carId, "start", start.toString(), "end", end.toString()))), Booking.class);
    }

    /**
     * {@code POST /t/{tenant}/bookings {"carId","immediate":true}}: reserves a free car from now; the rental must
     * start at the car before the answer's {@code holdUntil}, or the reservation lapses (NO_SHOW). {@code end} null
     * takes the backend's {@code immediate-length}.
     */
    public Booking reserveNow(String token, String tenant, String carId, Instant end) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("carId", carId);
        body.put("immediate", true);
        if (end != null) {
            body.put("end", end.toString());
        }
        return call(post("/t/" + tenant + "/bookings", token, json(body)), Booking.class);
    }

    /** {@code GET /t/{tenant}/bookings/{id}}. */
    public Booking booking(String token, String tenant, String bookingId) {
        return call(get("/t/" + tenant + "/bookings/" + bookingId, token), Booking.class);
    }

    /** {@code GET /t/{tenant}/bookings} with filters; one page. */
    public BookingPage bookings(String token, String tenant, BookingFilter f) {
        HttpUrl.Builder u = url("/t/" + tenant + "/bookings").newBuilder();
        if (f.carId() != null) {
            u.addQueryParameter("carId", f.carId());
        }
        if (f.userId() != null) {
            u.addQueryParameter("userId", f.userId());
        }
        if (f.states() != null && !f.states().isEmpty()) {
            f.states().forEach(state -> u.addQueryParameter("state", state));
        }
        if (f.from() != null) {
            u.addQueryParameter("from", f.from().toString());
        }
        if (f.to() != null) {
            u.addQueryParameter("to", f.to().toString());
        }
        if (f.page() != null) {
            u.addQueryParameter("page", f.page().toString());
        }
        if (f.size() != null) {
            u.addQueryParameter("size", f.size().toString());
        }
        return call(authorised(new Request.Builder().url(u.build()).get(), token).build(), BookingPage.class);
    }

    /** {@code POST /t/{tenant}/bookings/{id}/cancel}: the booking, CANCELLED. */
    public Booking cancelBooking(String token, String tenant, String bookingId) {
        return call(post("/t/" + tenant + "/bookings/" + bookingId + "/cancel", token, json(Map.of())), Booking.class);
    }

    /** {@code POST /t/{tenant}/bookings/{id}/extend {"end"}}: the booking with its new end. */
    public Booking extendBooking(String token, String tenant, String bookingId, Instant end) {
        return call(post("/t/" + tenant + "/bookings/" + bookingId + "/extend", token, json(Map.of("end", end.toString()))),
                Booking.class);
    }

    /**
     * {@code GET /t/{tenant}/cars/available?from&to[&lat&lon[&radiusM]]}: the cars free for all of the window,
     * nearest first when a position is given ({@code near} null: by id; {@code radiusM} null: any distance).
     */
    public List<AvailableCar> availableCars(String token, String tenant, Instant from, Instant to,
                                            io.latchkey.simulator.route.GeoPoint near, Integer radiusM) {
        HttpUrl.Builder u = url("/t/" + tenant + "/cars/available").newBuilder()
                .addQueryParameter("from", from.toString()).addQueryParameter("to", to.toString());
        if (near != null) {
            u.addQueryParameter("lat", Double.toString(near.lat())).addQueryParameter("lon", Double.toString(near.lon()));
            if (radiusM != null) {
                u.addQueryParameter("radiusM", radiusM.toString());
            }
        }
        return call(authorised(new Request.Builder().url(u.build()).get(), token).build(),
                new TypeReference<List<AvailableCar>>() { });
    }

    /**
     * {@code POST /t/{tenant}/bookings/{id}/end}: the car checks itself; reports the answer whatever its status
     * (200 ended or refused with the failed checks, 409 not ACTIVE, 403, 404, 504...).
     */
    public EndAnswer endBooking(String token, String tenant, String bookingId) {
        Request request = post("/t/" + tenant + "/bookings/" + bookingId + "/end", token, json(Map.of()));
        try (Response response = http.newCall(request).execute()) {
            String body = response.body() == null ? "" : response.body().string();
            if (response.code() == 200) {
                EndBody parsed = mapper.readValue(body, EndBody.class);
                return new EndAnswer(200, parsed.ended(), parsed.booking(), parsed.receipt(), parsed.failed(), null);
            }
            return new EndAnswer(response.code(), null, null, null, null, body);
        } catch (IOException e) {
            throw new ApiException(describe(request), e);
        }
    }

    /** The body of a 200 answer to the end of a rental. */
    private record EndBody(Boolean ended, Booking booking, ApiTypes.Receipt receipt, List<String> failed) {
    }

    // --- trips and events -----------------------------------------------------------------------

    /** {@code GET /t/{tenant}/cars/{carId}/trips?limit=}: the newest trips first (the first page). */
    public TripPage trips(String token, String tenant, String carId, int limit) {
        return call(get("/t/" + tenant + "/cars/" + carId + "/trips?limit=" + limit, token), TripPage.class);
    }

    /** {@code GET /t/{tenant}/bookings/{id}/trips}: the trips that started in the booking, and their totals. */
    public BookingTrips bookingTrips(String token, String tenant, String bookingId) {
        return call(get("/t/" + tenant + "/bookings/" + bookingId + "/trips", token), BookingTrips.class);
    }

    /** {@code GET /t/{tenant}/events?carId=&type=&limit=} (operators): newest first; null filters are left out. */
    public EventPage events(String token, String tenant, String carId, String type, int limit) {
        HttpUrl.Builder u = url("/t/" + tenant + "/events").newBuilder().addQueryParameter("limit", Integer.toString(limit));
        if (carId != null) {
            u.addQueryParameter("carId", carId);
        }
        if (type != null) {
            u.addQueryParameter("type", type);
        }
        return call(authorised(new Request.Builder().url(u.build()).get(), token).build(), EventPage.class);
    }

    /**
     * IMMOBILISE (operators): carried out only when the car knows it stands still with the ignition off; a 409
     * {@code REJECTED} answer lists why not ({@code MOVING}, {@code SPEED_UNKNOWN}, {@code IGNITION_ON}).
     */
    public CommandResponse immobilise(String token, String tenant, String carId) {
        return command(token, tenant, carId, "IMMOBILISE");
    }

    /** MOBILISE (operators): always carried out. */
    public CommandResponse mobilise(String token, String tenant, String carId) {
        return command(token, tenant, carId, "MOBILISE");
    }

    /**
     * Sends UNLOCK or LOCK and reports the status whatever it is (200, 403, 409, 502, 504...), with the
     * round trip measured here.
     */
    public CommandResponse command(String token, String tenant, String carId, String type) {
        return command(token, tenant, carId, type, null);
    }

    /** As {@link #command(String, String, String, String)}, with the caller's command id (retries reuse it). */
    public CommandResponse command(String token, String tenant, String carId, String type, String commandId) {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("type", type);
        if (commandId != null) {
            fields.put("id", commandId);
        }
        Request request = post("/t/" + tenant + "/cars/" + carId + "/commands", token, json(fields));
        long start = System.nanoTime();
        try (Response response = http.newCall(request).execute()) {
            String body = response.body() == null ? "" : response.body().string();
            long micros = (System.nanoTime() - start) / 1_000;
            CommandResult result = null;
            if (body.contains("\"outcome\"")) {
                result = mapper.readValue(body, CommandResult.class);
            }
            return new CommandResponse(response.code(), result, result == null ? body : null, micros);
        } catch (IOException e) {
            throw new ApiException(describe(request), e);
        }
    }

    // --- offline keys (docs/offline-keys.md) ----------------------------------------------------

    /**
     * {@code POST /t/{tenant}/bookings/{id}/keys} (the booking's borrower or a co-driver): the phone's public key
     * ({@code PhoneKey.publicKeyOf}) in, the key credential signed by the tenant out.
     */
    public io.latchkey.protocol.key.TenantSigned issueKey(String token, String tenant, String bookingId, String publicKey) {
        return call(post("/t/" + tenant + "/bookings/" + bookingId + "/keys", token, json(Map.of("publicKey", publicKey))),
                io.latchkey.protocol.key.TenantSigned.class);
    }

    /** {@code POST /t/{tenant}/keys/{keyId}/revoke}: the key's holder, its booking's borrower or an operator. */
    public void revokeKey(String token, String tenant, String keyId) {
        call(post("/t/" + tenant + "/keys/" + keyId + "/revoke", token, json(Map.of())), Map.class);
    }

    /** {@code GET /t/{tenant}/keys/revocations}: the newest signed revocation list, for a phone to carry to cars. */
    public io.latchkey.protocol.key.TenantSigned keyRevocations(String token, String tenant) {
        return call(get("/t/" + tenant + "/keys/revocations", token), io.latchkey.protocol.key.TenantSigned.class);
    }

    // --- audit -----------------------------------------------------------------------------------

    /**
     * {@code GET /t/{tenant}/audit?limit=&action=} (tenant-admins): the newest {@code limit} records whose action is
     * {@code action} or starts with it as a dotted prefix, oldest first.
     */
    public List<ApiTypes.AuditRecord> audit(String token, String tenant, String action, int limit) {
        HttpUrl.Builder u = url("/t/" + tenant + "/audit").newBuilder().addQueryParameter("limit", Integer.toString(limit));
        if (action != null) {
            u.addQueryParameter("action", action);
        }
        return call(authorised(new Request.Builder().url(u.build()).get(), token).build(),
                new TypeReference<List<ApiTypes.AuditRecord>>() { });
    }

    // --- plumbing -------------------------------------------------------------------------------

    private Request get(String path, String token) {
        return authorised(new Request.Builder().url(url(path)).get(), token).build();
    }

    private Request post(String path, String token, RequestBody body) {
        return authorised(new Request.Builder().url(url(path)).post(body), token).build();
    }

    private HttpUrl url(String pathAndQuery) {
        HttpUrl u = HttpUrl.parse(base.toString().replaceAll("/+$", "") + pathAndQuery);
        if (u == null) {
            throw new IllegalArgumentException("bad path " + pathAndQuery);
        }
        return u;
    }

    private static Request.Builder authorised(Request.Builder b, String token) {
        return token == null ? b : b.header("Authorization", "Bearer " + token);
    }

    private RequestBody json(Object body) {
        try {
            return RequestBody.create(mapper.writeValueAsBytes(body), JSON);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot serialise request body", e);
        }
    }

    private <T> T call(Request request, Class<T> type) {
        return call(request, mapper.getTypeFactory().constructType(type));
    }

    private <T> T call(Request request, TypeReference<T> type) {
        return call(request, mapper.getTypeFactory().constructType(type));
    }

    private <T> T call(Request request, JavaType type) {
        try (Response response = http.newCall(request).execute()) {
            String body = response.body() == null ? "" : response.body().string();
            if (!response.isSuccessful()) {
                throw new ApiException(describe(request), response.code(), body);
            }
            return body.isBlank() ? null : mapper.readValue(body, type);
        } catch (IOException e) {
            throw new ApiException(describe(request), e);
        }
    }

    private static String describe(Request request) {
        return request.method() + " " + request.url().encodedPath();
    }
}
