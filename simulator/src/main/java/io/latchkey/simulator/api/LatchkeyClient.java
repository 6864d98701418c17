package io.latchkey.simulator.api;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.latchkey.protocol.Json;
import io.latchkey.simulator.api.ApiTypes.Booking;
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
    public String issueDeviceCertificate(String token, String tenant, String deviceId, String carId, String csrPem) {
        return call(post("/t/" + tenant + "/devices/" + deviceId + "/certificate", token,
                json(Map.of("carId", carId, "csr", csrPem))), com.fasterxml.jackson.databind.JsonNode.class)
                .path("certificate").asText();
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
