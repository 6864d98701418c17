package io.latchkey.cloud.it;

import static io.latchkey.cloud.it.CloudApp.PASSWORD;
import static io.latchkey.cloud.it.CloudApp.expect;
import static org.assertj.core.api.Assertions.assertThat;

import io.latchkey.cloud.LatchkeyConfig;
import io.latchkey.cloud.identity.UserAccount;
import io.latchkey.cloud.identity.UserDirectory;
import io.latchkey.cloud.pii.PiiCipher;
import io.latchkey.cloud.secrets.FileSecretStore;
import io.latchkey.cloud.store.StoreJson;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A store written by the version before encryption at rest (user documents in clear, e-mail index by unkeyed
 * SHA-256) still works: its accounts sign in, and their personal data is sealed at the next start; a clear document
 * an older replica writes meanwhile is read as it is and sealed by the migration.
 */
class PiiMigrationIT {
    @TempDir
    Path dataDir;

    @Test
    void accountsStoredInClearByTheEarlierVersion_signIn_andAreSealedAtTheNextStart() throws Exception {
        String lea;
        String hmacIndexOfLea;
        try (CloudApp app = CloudApp.start(dataDir, Map.of())) {
            String admin = app.tenantWithAdmin("acme");
            lea = registerWithProfile(app, "lea.legacy@acme.test", "Lea Legacy", "LEAL1234");
            hmacIndexOfLea = app.context().getBean(PiiCipher.class).emailIndex("acme", "lea.legacy@acme.test");
            writeAsTheEarlierVersion(app, lea, "lea.legacy@acme.test", hmacIndexOfLea);
            assertThat(admin).isNotBlank();
        }
        Files.deleteIfExists(docs().resolve("pii-migrations/v1.json"));
        assertThat(DataDir.filesContaining(dataDir.resolve("tenants/acme"), "lea.legacy@acme.test")).as("precondition").isNotEmpty();

        try (CloudApp app = CloudApp.start(dataDir, Map.of())) {
            for (String clear : List.of("lea.legacy@acme.test", "Lea Legacy", "LEAL1234", "\"passwordHash\"")) {
                assertThat(DataDir.filesContaining(dataDir.resolve("tenants/acme"), clear)).as(clear).isEmpty();
            }
            assertThat(docs().resolve("emails/" + sha256("lea.legacy@acme.test") + ".json")).doesNotExist();
            assertThat(docs().resolve("emails/" + hmacIndexOfLea + ".json")).exists();
            assertThat(docs().resolve("pii-migrations/v1.json")).exists();
            String token = app.token("acme", "lea.legacy@acme.test");
            assertThat(expect(200, app.http.get("/t/acme/users/me", token)).text("driverLicence")).isEqualTo("LEAL1234");

            // an older replica writes a clear document while this one runs (a rolling upgrade)
            String max = registerWithProfile(app, "max.mixed@acme.test", "Max Mixed", "MAXM777");
            writeAsTheEarlierVersion(app, max, "max.mixed@acme.test",
                    app.context().getBean(PiiCipher.class).emailIndex("acme", "max.mixed@acme.test"));
            assertThat(DataDir.filesContaining(dataDir.resolve("tenants/acme"), "MAXM777")).isNotEmpty();
            String maxToken = app.token("acme", "max.mixed@acme.test");
            assertThat(expect(200, app.http.get("/t/acme/users/me", maxToken)).text("name")).isEqualTo("Max Mixed");

            assertThat(app.context().getBean(UserDirectory.class).migrate("acme")).isEqualTo(1);

            assertThat(DataDir.filesContaining(dataDir.resolve("tenants/acme"), "MAXM777")).isEmpty();
            assertThat(DataDir.filesContaining(dataDir.resolve("tenants/acme"), "max.mixed@acme.test")).isEmpty();
            expect(200, app.http.postForm("/t/acme/oauth/token", Map.of("grant_type", "password",
                    "username", "max.mixed@acme.test", "password", PASSWORD)));
            assertThat(expect(200, app.http.get("/t/acme/users/me", maxToken)).text("driverLicence")).isEqualTo("MAXM777");
        }
    }

    private static String registerWithProfile(CloudApp app, String email, String name, String licence) {
        String id = expect(201, app.http.postJson("/t/acme/users", null,
                Map.of("email", email, "name", name, "password", PASSWORD))).text("id");
        expect(200, app.http.patchJson("/t/acme/users/me", app.token("acme", email), Map.of(
                "phone", "+49 30 5550 4321", "driverLicence", licence)));
        return id;
    }

    /** The documents the version before encryption at rest wrote: the account in clear, the index by SHA-256, no key. */
    private void writeAsTheEarlierVersion(CloudApp app, String userId, String email, String hmacIndex) throws Exception {
        UserAccount account = app.context().getBean(UserDirectory.class).require("acme", userId);
        Files.write(docs().resolve("users/" + userId + ".json"), StoreJson.write(account));
        Files.move(docs().resolve("emails/" + hmacIndex + ".json"), docs().resolve("emails/" + sha256(email) + ".json"));
        new FileSecretStore(new LatchkeyConfig(dataDir.toString(), null), new SecureRandom())
                .delete("acme", PiiCipher.USER_KEY_PREFIX + userId);
    }

    private Path docs() {
        return dataDir.resolve("tenants/acme/docs");
    }

    private static String sha256(String text) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
    }
}
