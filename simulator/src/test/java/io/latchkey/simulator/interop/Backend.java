package io.latchkey.simulator.interop;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.latchkey.cloud.mqtt.MqttEndpoint;
import io.latchkey.protocol.Json;
import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import okhttp3.FormBody;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;

/**
 * The real cloud-api in this JVM (random HTTP port, free MQTT ports, a temporary data directory), as
 * docs/api.md describes, with the few HTTP calls an operator makes before an installer arrives.
 */
final class Backend implements AutoCloseable {
    static final String ADMIN_PASSWORD = "platform-admin-password-for-tests";
    static final String PASSWORD = "a perfectly long passphrase";
    private static final MediaType JSON = MediaType.get("application/json");
    private static final ObjectMapper MAPPER = Json.mapper();

    private final EmbeddedServer server;
    private final OkHttpClient http = new OkHttpClient.Builder().callTimeout(Duration.ofSeconds(30))
            .readTimeout(Duration.ofSeconds(30)).build();

    private Backend(EmbeddedServer server) {
        this.server = server;
    }

    static Backend start(Path dataDir) {
        Map<String, Object> props = new HashMap<>();
        props.put("micronaut.server.port", -1);
        props.put("latchkey.data-dir", dataDir.toString());
        props.put("latchkey.mqtt.port", 0);
        props.put("latchkey.mqtt.tls-port", 0);
        props.put("latchkey.mqtt.persistence", "in-memory");
        props.put("latchkey.commands.timeout", "5s");
        props.put("latchkey.admin.user", "admin");
        props.put("latchkey.admin.password", ADMIN_PASSWORD);
        return new Backend(ApplicationContext.run(EmbeddedServer.class, props));
    }

    String url() {
        String url = server.getURL().toString();
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }

    ApplicationContext context() {
        return server.getApplicationContext();
    }

    String mqttTlsUrl() {
        return context().getBean(MqttEndpoint.class).deviceTlsUrl().orElseThrow();
    }

    /** A tenant with a tenant-admin; returns the admin's token. */
    String tenant(String tenant) {
        String admin = token("/platform/oauth/token", "admin", ADMIN_PASSWORD);
        expect(201, post("/platform/tenants", admin, Map.of("id", tenant, "name", tenant + " cars")));
        expect(201, post("/platform/tenants/" + tenant + "/admins", admin,
                Map.of("email", "admin@" + tenant + ".test", "name", "Admin", "password", PASSWORD)));
        return userToken(tenant, "admin@" + tenant + ".test");
    }

    /** A user with one role; returns their token. */
    String user(String tenant, String adminToken, String email, String role) {
        expect(201, post("/t/" + tenant + "/users", adminToken, Map.of("email", email, "name", role, "password", PASSWORD,
                "roles", List.of(role))));
        return userToken(tenant, email);
    }

    void car(String tenant, String operatorToken, String carId, String deviceId) {
        expect(201, post("/t/" + tenant + "/cars", operatorToken,
                Map.of("id", carId, "name", "Car " + carId, "plate", "B-LK " + Math.abs(carId.hashCode() % 1000), "deviceId", deviceId)));
    }

    String userToken(String tenant, String email) {
        return token("/t/" + tenant + "/oauth/token", email, PASSWORD);
    }

    Reply post(String path, String token, Object body) {
        try {
            Request.Builder request = new Request.Builder().url(url() + path).post(RequestBody.create(MAPPER.writeValueAsBytes(body), JSON));
            if (token != null) {
                request.header("Authorization", "Bearer " + token);
            }
            return call(request.build());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    Reply get(String path, String token) {
        return call(new Request.Builder().url(url() + path).header("Authorization", "Bearer " + token).build());
    }

    private String token(String path, String username, String password) {
        Request request = new Request.Builder().url(url() + path).post(new FormBody.Builder().add("grant_type", "password")
                .add("username", username).add("password", password).build()).build();
        return expect(200, call(request)).json().path("access_token").asText();
    }

    private Reply call(Request request) {
        try (Response response = http.newCall(request).execute()) {
            return new Reply(response.code(), response.body() == null ? "" : response.body().string());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Reply expect(int status, Reply reply) {
        if (reply.status() != status) {
            throw new AssertionError("expected " + status + " but got " + reply.status() + ": " + reply.body());
        }
        return reply;
    }

    record Reply(int status, String body) {
        JsonNode json() {
            try {
                return MAPPER.readTree(body);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    @Override
    public void close() {
        http.dispatcher().executorService().shutdown();
        http.connectionPool().evictAll();
        server.getApplicationContext().close();
    }
}
