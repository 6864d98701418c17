package io.latchkey.cloud.it;

import static io.latchkey.cloud.it.CloudApp.PASSWORD;
import static io.latchkey.cloud.it.CloudApp.expect;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.azure.storage.blob.BlobClient;
import com.azure.storage.blob.specialized.BlobClientBase;
import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.blob.BlobServiceClientBuilder;
import com.azure.storage.blob.models.BlobItem;
import com.azure.storage.common.StorageSharedKeyCredential;
import com.fasterxml.jackson.databind.JsonNode;
import io.latchkey.cloud.it.PiiShreddingIT.Person;
import io.latchkey.cloud.pii.PiiCipher;
import io.latchkey.cloud.pii.PiiErasedException;
import io.latchkey.cloud.store.azure.AzuriteServer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Crypto-shredding on Azure Blob storage (Azurite): a copy of every blob of the tenant's account taken before a
 * termination, and blob snapshots of the user documents (what blob versioning and soft delete keep on Azure), yield
 * nothing of the terminated user afterwards; the other user's snapshot still opens.
 */
class PiiShreddingAzureIT {
    @TempDir
    Path dataDir;

    @Test
    void afterTermination_copiesAndSnapshotsOfTheBlobs_yieldNothingOfTheUser() throws Exception {
        try (AzuriteServer azurite = AzuriteServer.start("platform", "acme")) {
            Map<String, Object> props = new HashMap<>();
            props.put("latchkey.store.type", "azure");
            props.put("latchkey.store.azure.platform.connection-string", azurite.connectionString("platform"));
            props.put("latchkey.store.azure.tenants.acme.connection-string", azurite.connectionString("acme"));
            try (CloudApp app = CloudApp.start(dataDir, props)) {
                String tenantAdmin = app.tenantWithAdmin("acme");
                Person tess = new Person("tess.blob@acme.test", "Tess Blobbed", "+44 20 7946 0111", "TESSB7777", "1986-03-04");
                Person bob = new Person("bob.blob@acme.test", "Bob Blobkept", "+49 30 5550 2222", "BOBB8888", "1978-12-01");
                String tessId = register(app, tess);
                String bobId = register(app, bob);
                BlobContainerClient container = new BlobServiceClientBuilder().endpoint(azurite.endpoint("acme"))
                        .credential(new StorageSharedKeyCredential("acme", azurite.key("acme"))).buildClient()
                        .getBlobContainerClient("latchkey");
                Map<String, byte[]> backup = download(container);
                Map<String, BlobClientBase> snapshots = new LinkedHashMap<>();
                for (String id : List.of(tessId, bobId)) {
                    BlobClient blob = container.getBlobClient("docs/users/" + id + ".json");
                    snapshots.put(id, blob.createSnapshot());
                }

                expect(204, app.http.delete("/t/acme/users/me", app.token("acme", tess.email())));

                Map<String, byte[]> after = download(container);
                for (String clear : PiiShreddingIT.concat(tess.clearValues(), bob.clearValues())) {
                    for (Map<String, byte[]> copy : List.of(backup, after)) {
                        copy.forEach((name, bytes) -> assertThat(new String(bytes, StandardCharsets.UTF_8))
                                .as(name + " holds " + clear).doesNotContain(clear));
                    }
                }
                PiiCipher cipher = app.context().getBean(PiiCipher.class);
                String tessCopy = new String(backup.get("docs/users/" + tessId + ".json"), StandardCharsets.UTF_8);
                String tessSnapshot = snapshots.get(tessId).downloadContent().toString();
                for (String doc : List.of(tessCopy, tessSnapshot)) {
                    assertThat(doc).doesNotContain(tess.email());
                    String sealed = PiiShreddingIT.MAPPER.readTree(doc).path("pii").asText();
                    assertThat(sealed).startsWith("pii1:");
                    assertThatThrownBy(() -> cipher.open("acme", tessId, "users/" + tessId, sealed))
                            .isInstanceOf(PiiErasedException.class);
                }
                JsonNode bobSnapshot = PiiShreddingIT.MAPPER.readTree(snapshots.get(bobId).downloadContent().toString());
                assertThat(cipher.open("acme", bobId, "users/" + bobId, bobSnapshot.path("pii").asText())).contains(bob.email());
                assertThat(after.keySet()).noneMatch(n -> n.startsWith("docs/secrets/")).as("keys live outside the account");
                assertThat(expect(200, app.http.get("/t/acme/users/" + tessId, tenantAdmin)).text("status")).isEqualTo("TERMINATED");
                assertThat(expect(200, app.http.get("/t/acme/users/me", app.token("acme", bob.email()))).text("driverLicence"))
                        .isEqualTo(bob.licence());
            }
        }
    }

    private static String register(CloudApp app, Person p) {
        String id = expect(201, app.http.postJson("/t/acme/users", null,
                Map.of("email", p.email(), "name", p.name(), "password", PASSWORD))).text("id");
        expect(200, app.http.patchJson("/t/acme/users/me", app.token("acme", p.email()), Map.of(
                "phone", p.phone(), "driverLicence", p.licence(), "dateOfBirth", p.dateOfBirth())));
        return id;
    }

    private static Map<String, byte[]> download(BlobContainerClient container) {
        Map<String, byte[]> copy = new LinkedHashMap<>();
        for (BlobItem item : container.listBlobs()) {
            copy.put(item.getName(), container.getBlobClient(item.getName()).downloadContent().toBytes());
        }
        return copy;
    }
}
