package io.latchkey.cloud.identity;

import static io.latchkey.cloud.it.CloudApp.expect;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jwt.SignedJWT;
import io.latchkey.cloud.it.CloudApp;
import io.latchkey.cloud.it.TestDevice;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/** Rotating the token-signing key and the command key logs nobody out and strands no device. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class KeyRotationIT {
    @TempDir
    static Path dataDir;
    CloudApp app;

    @BeforeAll
    void start() {
        app = CloudApp.start(dataDir, Map.of("latchkey.commands.timeout", "5s"));
        app.user("acme", app.tenantWithAdmin("acme"), "olga@acme.test", "operator");
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
    }

    @Test
    void rotatingTheSigningKey_keepsOldTokensValid_untilTheyExpire_andTheOldKeyLeavesTheJwksAfterwards() throws Exception {
        String before = app.token("acme", "olga@acme.test");
        String oldKid = SignedJWT.parse(before).getHeader().getKeyID();

        String newKid = expect(200, app.http.postJson("/t/acme/keys/rotate", tenantAdmin(), Map.of("key", "token"))).text("kid");
        assertThat(newKid).isNotEqualTo(oldKid);
        assertThat(kids(expect(200, app.http.get("/t/acme/.well-known/jwks.json", null)).json())).containsExactly(newKid, oldKid);
        expect(200, app.http.get("/t/acme/cars", before));
        String after = app.token("acme", "olga@acme.test");
        assertThat(SignedJWT.parse(after).getHeader().getKeyID()).isEqualTo(newKid);

        app.clock().advance(Duration.ofMinutes(14));
        expect(200, app.http.get("/t/acme/cars", before));
        app.clock().advance(Duration.ofMinutes(2));
        String fresh = app.token("acme", "olga@acme.test");
        expect(200, app.http.postJson("/t/acme/keys/rotate", tenantAdmin(), Map.of("key", "token")));
        List<String> kids = kids(expect(200, app.http.get("/t/acme/.well-known/jwks.json", null)).json());
        assertThat(kids).hasSize(2).contains(newKid).doesNotContain(oldKid);
        expect(200, app.http.get("/t/acme/cars", fresh));
    }

    @Test
    void aBodyThatDoesNotNameTheKey_isRefused_andRotatesNothing() {
        String jwksBefore = expect(200, app.http.get("/t/acme/.well-known/jwks.json", null)).body();
        String deviceKeysBefore = expect(200, app.http.get("/t/acme/.well-known/latchkey-device", null)).json()
                .path("commandKeys").toString();
        for (String body : List.of("", " ", "garbage", "{", "[]", "\"token\"", "42", "null", "{}", "{\"kee\":\"token\"}",
                "{\"key\":null}", "{\"key\":\"\"}")) {
            int status = app.http.send(io.micronaut.http.HttpRequest.POST("/t/acme/keys/rotate", body)
                    .contentType(io.micronaut.http.MediaType.APPLICATION_JSON_TYPE).bearerAuth(tenantAdmin())).status();
            assertThat(status).as("body '%s'", body).isEqualTo(400);
        }
        assertThat(app.http.send(io.micronaut.http.HttpRequest.POST("/t/acme/keys/rotate", "")
                .bearerAuth(tenantAdmin())).status()).as("no body, no content type").isEqualTo(400);
        assertThat(expect(200, app.http.get("/t/acme/.well-known/jwks.json", null)).body()).isEqualTo(jwksBefore);
        assertThat(expect(200, app.http.get("/t/acme/.well-known/latchkey-device", null)).json().path("commandKeys")
                .toString()).isEqualTo(deviceKeysBefore);
    }

    @Test
    void onlyATenantAdmin_rotatesKeys() {
        assertThat(app.http.postJson("/t/acme/keys/rotate", operator(), Map.of()).status()).isEqualTo(403);
        assertThat(app.http.postJson("/t/acme/keys/rotate", tenantAdmin(), Map.of("key", "everything")).status()).isEqualTo(400);
    }

    @Test
    void aDeviceProvisionedBeforeACommandKeyRotation_executesCommandsSignedAfterIt() throws Exception {
        JsonNode discovery = expect(200, app.http.get("/t/acme/.well-known/latchkey-device", null)).json();
        List<String> pinned = new ArrayList<>();
        discovery.path("commandKeys").forEach(k -> pinned.add(k.path("kid").asText()));
        assertThat(pinned).hasSize(2);
        app.car("acme", operator(), "car-9", "dev-009");
        try (TestDevice device = new TestDevice(app, "acme", "dev-009", TestDevice.keys(discovery),
                Clock.systemUTC())) {
            String signer = expect(200, app.http.postJson("/t/acme/keys/rotate", tenantAdmin(), Map.of("key", "command")))
                    .text("kid");
            assertThat(signer).isEqualTo(pinned.get(1));
            JsonNode unlock = expect(200, app.http.postJson("/t/acme/cars/car-9/commands", operator(),
                    Map.of("type", "UNLOCK"))).json();
            assertThat(unlock.path("outcome").asText()).isEqualTo("EXECUTED");
        }
        JsonNode now = expect(200, app.http.get("/t/acme/.well-known/latchkey-device", null)).json();
        List<String> published = new ArrayList<>();
        now.path("commandKeys").forEach(k -> published.add(k.path("kid").asText()));
        assertThat(published).hasSize(2).startsWith(pinned.get(1)).doesNotContain(pinned.get(0));
    }

    /** Fresh tokens: a test that rotates twice retires the key earlier tokens were signed with. */
    private String tenantAdmin() {
        return app.token("acme", "admin@acme.test");
    }

    private String operator() {
        return app.token("acme", "olga@acme.test");
    }

    private static List<String> kids(JsonNode jwks) {
        List<String> kids = new ArrayList<>();
        jwks.path("keys").forEach(k -> {
            assertThat(k.has("d")).isFalse();
            kids.add(k.path("kid").asText());
        });
        return kids;
    }
}
