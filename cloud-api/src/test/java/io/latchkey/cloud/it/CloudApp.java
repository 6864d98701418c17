package io.latchkey.cloud.it;

import com.fasterxml.jackson.databind.JsonNode;
import io.latchkey.cloud.datadir.DataDirectoryGuard;
import io.latchkey.cloud.mqtt.MqttEndpoint;
import io.micronaut.context.ApplicationContext;
import io.micronaut.http.client.HttpClient;
import io.micronaut.runtime.server.EmbeddedServer;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Starts the real backend the way another module's end-to-end test can: a random HTTP port, a free MQTT
 * port for the embedded broker, a temporary data directory and a known platform admin.
 */
public final class CloudApp implements AutoCloseable {
    public static final String ADMIN_PASSWORD = "platform-admin-password-for-tests";
    public static final String PASSWORD = "a perfectly long passphrase";

    private final java.util.Map<String, String> tenantAdmins = new java.util.concurrent.ConcurrentHashMap<>();
    private final java.util.Map<String, String> carOfDevice = new java.util.concurrent.ConcurrentHashMap<>();
    private final java.util.Map<String, DeviceCredentials> enrolled = new java.util.concurrent.ConcurrentHashMap<>();
    private final EmbeddedServer server;
    private final HttpClient httpClient;
    public final Http http;

    private CloudApp(EmbeddedServer server) {
        this.server = server;
        this.httpClient = server.getApplicationContext().createBean(HttpClient.class, server.getURL());
        this.http = new Http(httpClient);
    }

    public static CloudApp start(Path dataDir, Map<String, Object> overrides) {
        Map<String, Object> props = new HashMap<>();
        props.put("micronaut.server.port", -1);
        props.put("latchkey.data-dir", dataDir.toString());
        props.put("latchkey.mqtt.port", 0);
        props.put("latchkey.mqtt.persistence", "in-memory");
        props.put("latchkey.admin.user", "admin");
        props.put("latchkey.admin.password", ADMIN_PASSWORD);
        // the offline sweep runs when a test calls it (OfflineSweep.sweep), not on its own while a test moves the clock
        props.put("latchkey.events.sweep-interval", "1h");
        // likewise the rental sweep (automatic end, overdue, immobiliser retries): RentalSweep.sweep
        props.put("latchkey.rentals.sweep-interval", "1h");
        props.putAll(overrides);
        // like ApplicationContext.run, but a context that fails to start releases the data directory's lock,
        // as the real process does by exiting
        ApplicationContext context = ApplicationContext.builder(props).environments("test").build();
        try {
            context.start();
            EmbeddedServer server = context.getBean(EmbeddedServer.class);
            server.start();
            return new CloudApp(server);
        } catch (RuntimeException e) {
            // A context that failed to start does not destroy what it created on close: the embedded broker would
            // run on (its threads, ports and TLS reloads) for the rest of the test JVM; the real process exits.
            // Its MQTT clients first (else they reconnect to it for ever), then the broker.
            List<Class<?>> started = List.of(io.latchkey.cloud.mqtt.CommandMqttClient.class,
                    io.latchkey.cloud.mqtt.BackendMqttClient.class, io.latchkey.cloud.mqtt.EmbeddedBroker.class);
            for (Class<?> type : started) {
                for (var bean : context.getActiveBeanRegistrations(type)) {
                    try {
                        context.destroyBean(bean);
                    } catch (RuntimeException again) {
                        e.addSuppressed(again);
                    }
                }
            }
            context.findBean(DataDirectoryGuard.class).ifPresent(DataDirectoryGuard::release);
            context.close();
            throw e;
        }
    }

    /** The server's own base URL, e.g. {@code http://127.0.0.1:41234}. */
    public java.net.URI baseUri() {
        try {
            return server.getURL().toURI();
        } catch (java.net.URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A new browser (no cookies yet) pointed at this backend. */
    public Browser browser() {
        return new Browser(baseUri());
    }

    /**
     * A browser signed in to a web app ({@code latchkey-console} or {@code latchkey-app}) the way a person does it:
     * the backend-for-frontend's sign-in, the tenant's sign-in page, its form, the callback.
     */
    public Browser signedIn(String tenant, String email, String password, String client) {
        Browser browser = browser();
        Browser.Page page = browser.get("/t/" + tenant + "/session/sign-in?client=" + client);
        if (page.status() != 200) {
            throw new AssertionError("sign-in page: " + page.status() + " " + page.body());
        }
        java.util.Map<String, String> form = new java.util.LinkedHashMap<>(page.hiddenFields());
        form.put("email", email);
        form.put("password", password);
        Browser.Page landed = browser.postOnly("/t/" + tenant + "/oauth/authorize", form);
        if (landed.status() != 303) {
            throw new AssertionError("sign-in form: " + landed.status() + " " + landed.body());
        }
        Browser.Page callback = browser.getOnly(landed.header("Location"));
        if (callback.status() != 303 || browser.cookie("__Host-lk-session-" + tenant) == null) {
            throw new AssertionError("callback: " + callback.status() + " " + callback.body());
        }
        return browser;
    }

    public ApplicationContext context() {
        return server.getApplicationContext();
    }

    public String mqttUrl() {
        return context().getBean(MqttEndpoint.class).url();
    }

    public MutableClock clock() {
        return context().getBean(MutableClock.class);
    }

    public String adminToken() {
        Http.Reply reply = http.postForm("/platform/oauth/token",
                Map.of("grant_type", "password", "username", "admin", "password", ADMIN_PASSWORD));
        if (reply.status() != 200) {
            throw new IllegalStateException("admin sign-in failed: " + reply);
        }
        return reply.text("access_token");
    }

    /** Creates a tenant with a tenant-admin {@code admin@{tenant}.test}; returns that admin's token. */
    public String tenantWithAdmin(String tenant) {
        String admin = adminToken();
        expect(201, http.postJson("/platform/tenants", admin, Map.of("id", tenant, "name", tenant + " cars")));
        String email = "admin@" + tenant + ".test";
        expect(201, http.postJson("/platform/tenants/" + tenant + "/admins", admin,
                Map.of("email", email, "name", "Admin", "password", PASSWORD)));
        String token = token(tenant, email);
        tenantAdmins.put(tenant, token);
        return token;
    }

    /** Registers a user with roles (through the tenant-admin) and returns their access token. */
    public String user(String tenant, String tenantAdminToken, String email, String role) {
        expect(201, http.postJson("/t/" + tenant + "/users", tenantAdminToken,
                Map.of("email", email, "name", role, "password", PASSWORD, "roles", List.of(role))));
        return token(tenant, email);
    }

    public JsonNode tokenResponse(String tenant, String email) {
        return expect(200, http.postForm("/t/" + tenant + "/oauth/token",
                Map.of("grant_type", "password", "username", email, "password", PASSWORD))).json();
    }

    public String token(String tenant, String email) {
        return tokenResponse(tenant, email).path("access_token").asText();
    }

    public void car(String tenant, String operatorToken, String carId, String deviceId) {
        expect(201, http.postJson("/t/" + tenant + "/cars", operatorToken,
                Map.of("id", carId, "name", "Car " + carId, "plate", "B-LK " + carId.hashCode() % 1000, "deviceId", deviceId)));
        carOfDevice.put(tenant + "/" + deviceId, carId);
    }

    /**
     * The device's key and certificate, enrolled on first use through {@code POST /t/{tenant}/devices/{id}/certificate}
     * with the tenant-admin of {@link #tenantWithAdmin}, for the car {@link #car} registered it with. A device
     * without a car gets a key no certificate speaks for (it cannot prove itself).
     */
    public DeviceCredentials device(String tenant, String deviceId) {
        return enrolled.computeIfAbsent(tenant + "/" + deviceId, k -> {
            java.security.KeyPair key = DeviceCredentials.newKey();
            String carId = carOfDevice.get(k);
            String admin = tenantAdmins.get(tenant);
            if (carId == null || admin == null) {
                return new DeviceCredentials(tenant, deviceId, key, null);
            }
            String certificate = expect(201, http.postJson("/t/" + tenant + "/devices/" + deviceId + "/certificate", admin,
                    Map.of("carId", carId, "csr", DeviceCredentials.csr(tenant, deviceId, key)))).text("certificate");
            return new DeviceCredentials(tenant, deviceId, key, certificate);
        });
    }

    public static Http.Reply expect(int status, Http.Reply reply) {
        if (reply.status() != status) {
            throw new AssertionError("expected " + status + " but got " + reply.status() + ": " + reply.body());
        }
        return reply;
    }

    @Override
    public void close() {
        httpClient.close();
        server.getApplicationContext().close();
    }
}
