package io.latchkey.cloud.backup;

import static io.latchkey.cloud.it.CloudApp.expect;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.latchkey.cloud.it.CloudApp;
import io.latchkey.cloud.store.azure.AzuriteServer;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Backup of the Azure Blob store (Azurite) with the stored secret store (secrets sealed under the key-encryption
 * key, inside each tenant's own account), restore into new, empty containers, and a backend started on those
 * serves the same data and accepts the tokens issued before.
 */
class AzureBackupRestoreIT {
    @TempDir
    Path work;

    @Test
    void aBackupOfTheBlobStore_restoresIntoEmptyContainers_andTheBackendServesTheSameData() throws Exception {
        try (AzuriteServer azurite = AzuriteServer.start("platform", "acme")) {
            Map<String, Object> source = new HashMap<>();
            source.put("latchkey.store.type", "azure");
            source.put("latchkey.store.azure.platform.connection-string", azurite.connectionString("platform"));
            source.put("latchkey.store.azure.tenants.acme.connection-string", azurite.connectionString("acme"));
            source.put("latchkey.secrets.type", "store");
            // both backends answer under one public URL, the issuer of their tokens
            source.put("latchkey.public-url", "https://cars.example.test");
            byte[] kek = new byte[32];
            new SecureRandom().nextBytes(kek);
            source.put("latchkey.secrets.key-encryption-key", Base64.getEncoder().encodeToString(kek));
            Map<String, Object> restoredSettings = new HashMap<>(source);
            restoredSettings.put("latchkey.store.azure.platform.container", "restored-platform");
            restoredSettings.put("latchkey.store.azure.container", "restored");

            Path backup = work.resolve("backup");
            String tenantAdmin;
            String borrower;
            JsonNode bookings;
            JsonNode audit;
            try (CloudApp app = CloudApp.start(work.resolve("a"), source)) {
                tenantAdmin = app.tenantWithAdmin("acme");
                String operator = app.user("acme", tenantAdmin, "olga@acme.test", "operator");
                borrower = app.user("acme", tenantAdmin, "bob@acme.test", "borrower");
                app.car("acme", operator, "car-1", "dev-001");
                Instant now = Instant.now();
                expect(201, app.http.postJson("/t/acme/bookings", borrower, Map.of("carId", "car-1",
                        "start", now.plus(Duration.ofHours(1)).toString(), "end", now.plus(Duration.ofHours(2)).toString())));
                bookings = expect(200, app.http.get("/t/acme/bookings", borrower)).json();
                audit = expect(200, app.http.get("/t/acme/audit?limit=1000", tenantAdmin)).json();
                String out = cli(source, "backup", "--out", backup.toString());
                assertThat(out).contains("tenants/acme:").contains("key-encryption key");
                // after the backup
                expect(201, app.http.postJson("/t/acme/bookings", borrower, Map.of("carId", "car-1",
                        "start", now.plus(Duration.ofHours(3)).toString(), "end", now.plus(Duration.ofHours(4)).toString())));
            }
            BackupManifest manifest = io.latchkey.protocol.Json.mapper()
                    .readValue(backup.resolve(BackupManifest.FILE_NAME).toFile(), BackupManifest.class);
            assertThat(manifest.store()).isEqualTo("azure");
            // the stored secret store's documents are in the backup, sealed
            assertThat(manifest.files()).extracting(BackupManifest.FileEntry::path)
                    .anyMatch(p -> p.startsWith("tenants/acme/docs/secrets/"))
                    .noneMatch(p -> p.startsWith("secrets/"));

            // the original containers are not empty: refused
            assertThatThrownBy(() -> cli(source, "restore", "--from", backup.toString()))
                    .hasMessageContaining("the target is not empty: platform");

            String restored = cli(restoredSettings, "restore", "--from", backup.toString());
            assertThat(restored).contains("audit chain of acme: OK, " + (audit.size() + 1) + " records");
            try (CloudApp app = CloudApp.start(work.resolve("b"), restoredSettings)) {
                assertThat(expect(200, app.http.get("/t/acme/bookings", borrower)).json()).isEqualTo(bookings);
                JsonNode restoredAudit = expect(200, app.http.get("/t/acme/audit?limit=1000", tenantAdmin)).json();
                assertThat(restoredAudit).hasSize(audit.size() + 1);
                assertThat(restoredAudit.get(audit.size() - 1)).isEqualTo(audit.get(audit.size() - 1));
                assertThat(restoredAudit.get(audit.size()).path("action").asText()).isEqualTo(Restore.RESTORE_ACTION);
                assertThat(expect(200, app.http.get("/t/acme/audit/verify", tenantAdmin)).text("status")).isEqualTo("OK");
            }
        }
    }

    private static String cli(Map<String, Object> settings, String... args) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        BackupMain.run(args, settings, new PrintStream(bytes, true, StandardCharsets.UTF_8));
        return bytes.toString(StandardCharsets.UTF_8);
    }
}
