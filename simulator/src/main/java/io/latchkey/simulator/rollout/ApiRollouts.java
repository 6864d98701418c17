package io.latchkey.simulator.rollout;

import com.fasterxml.jackson.core.type.TypeReference;
import io.latchkey.protocol.Json;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The backend's rollout API, as an operator uses it (docs/api.md, "Over-the-air updates"): {@code POST
 * /t/{t}/update-keys}, {@code POST /t/{t}/releases} with the bundle, {@code POST /t/{t}/rollouts}, then {@code GET
 * /t/{t}/rollouts/{id}} and {@code .../devices} to watch it. The backend publishes the offers, serves the bundle and
 * keeps the cars' statuses.
 */
public final class ApiRollouts implements RolloutControl {
    private final String baseUrl;
    private final String tenant;
    private final Supplier<String> token;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private String rolloutId;

    record WaveDto(int index, int percent, int cars, String state, Map<String, Integer> counts) {
    }

    record RolloutDto(String id, String state, String haltReason, List<WaveDto> waves, Map<String, Integer> counts) {
    }

    record DeviceDto(String carId, String deviceId, int wave, String state, String reason, String version, Instant at) {
    }

    record ReleaseDto(String id, String version) {
    }

    /** @param token the operator's (or tenant admin's) access token, fresh at each call */
    public ApiRollouts(String baseUrl, String tenant, Supplier<String> token) {
        this.baseUrl = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
        this.tenant = tenant;
        this.token = token;
    }

    /** {@code POST /t/{t}/update-keys}: the tenant's update key, which the cars pin. */
    public void registerUpdateKey(String kid, String publicKey) throws IOException, InterruptedException {
        send("POST", "/update-keys", "application/json", Json.write(Map.of("kid", kid, "publicKey", publicKey)), 201);
    }

    @Override
    public String start(Plan plan) throws Exception {
        byte[] release = send("POST", "/releases", "application/zip", java.nio.file.Files.readAllBytes(plan.bundle().file()), 201);
        String releaseId = Json.read(release, ReleaseDto.class).id();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("releaseId", releaseId);
        body.put("target", Map.of("cars", plan.carIds()));
        body.put("waves", plan.waves());
        body.put("failureThreshold", plan.failureThreshold());
        body.put("deviceTimeout", plan.deviceTimeout().toSeconds() + "s");
        byte[] created = send("POST", "/rollouts", "application/json", Json.write(body), 201);
        rolloutId = Json.read(created, RolloutDto.class).id();
        return rolloutId;
    }

    @Override
    public View view() throws Exception {
        RolloutDto r = Json.read(send("GET", "/rollouts/" + rolloutId, null, null, 200), RolloutDto.class);
        return new View(r.id(), r.state(), r.waves().stream().map(w -> new Wave(w.index(), w.cars(), w.state(), w.counts())).toList(),
                r.counts());
    }

    @Override
    public List<Device> devices() throws Exception {
        List<DeviceDto> ds = Json.mapper().readValue(send("GET", "/rollouts/" + rolloutId + "/devices", null, null, 200),
                new TypeReference<List<DeviceDto>>() {
                });
        return ds.stream().map(d -> new Device(d.carId(), d.deviceId(), d.wave(), d.state(), d.reason(), d.version(), d.at())).toList();
    }

    private byte[] send(String method, String path, String type, byte[] body, int expected) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(baseUrl + "/t/" + tenant + path)).timeout(Duration.ofSeconds(60))
                .header("Authorization", "Bearer " + token.get()).header("Accept", "application/json");
        if (body != null) {
            b.header("Content-Type", type).method(method, HttpRequest.BodyPublishers.ofByteArray(body));
        } else {
            b.method(method, HttpRequest.BodyPublishers.noBody());
        }
        HttpResponse<byte[]> r = http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
        if (r.statusCode() != expected) {
            throw new IOException(method + " " + path + ": HTTP " + r.statusCode() + " " + new String(r.body(), java.nio.charset.StandardCharsets.UTF_8));
        }
        return r.body();
    }
}
