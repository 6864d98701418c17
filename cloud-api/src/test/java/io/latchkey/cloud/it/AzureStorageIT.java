package io.latchkey.cloud.it;

import static io.latchkey.cloud.it.CloudApp.expect;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.azure.core.util.BinaryData;
import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.blob.BlobContainerClientBuilder;
import com.azure.storage.blob.BlobServiceClient;
import com.azure.storage.blob.BlobServiceClientBuilder;
import com.azure.storage.blob.models.BlobItem;
import com.azure.storage.blob.models.BlobStorageException;
import com.azure.storage.common.StorageSharedKeyCredential;
import com.fasterxml.jackson.databind.JsonNode;
import io.latchkey.cloud.store.azure.AzuriteServer;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The production switch: {@code latchkey.store.type=azure} against Azurite with one account for the platform
 * and one per tenant. The backend's data lands in each tenant's own account, one tenant's key opens no other
 * account, and a tenant-admin's data access is a read-only, expiring SAS.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AzureStorageIT {
    @TempDir
    static Path dataDir;
    AzuriteServer azurite;
    CloudApp app;
    String acmeAdmin;

    @BeforeAll
    void start() {
        azurite = AzuriteServer.start("platform", "acme", "globex");
        Map<String, Object> props = new HashMap<>();
        props.put("latchkey.store.type", "azure");
        props.put("latchkey.store.azure.platform.connection-string", azurite.connectionString("platform"));
        props.put("latchkey.store.azure.tenants.acme.connection-string", azurite.connectionString("acme"));
        props.put("latchkey.store.azure.tenants.globex.connection-string", azurite.connectionString("globex"));
        props.put("latchkey.store.azure.tenants.initech.connection-string", azurite.connectionString("platform"));
        app = CloudApp.start(dataDir, props);
        acmeAdmin = app.tenantWithAdmin("acme");
        String operator = app.user("acme", acmeAdmin, "olga@acme.test", "operator");
        app.car("acme", operator, "car-1", "dev-001");
        app.tenantWithAdmin("globex");
    }

    @AfterAll
    void stop() {
        if (app != null) {
            app.close();
        }
        if (azurite != null) {
            azurite.close();
        }
    }

    @Test
    void eachTenantsData_isInItsOwnAccount_andThePlatformsInThePlatformAccount() {
        List<String> acme = blobNames(service("acme", "acme").getBlobContainerClient("latchkey"));
        List<String> globex = blobNames(service("globex", "globex").getBlobContainerClient("latchkey"));
        List<String> platform = blobNames(service("platform", "platform").getBlobContainerClient("latchkey-platform"));

        assertThat(acme).contains("docs/cars/car-1.json").anyMatch(n -> n.startsWith("streams/audit/"));
        assertThat(globex).noneMatch(n -> n.contains("car-1")).anyMatch(n -> n.startsWith("streams/audit/"));
        assertThat(platform).contains("docs/tenants/acme.json", "docs/tenants/globex.json").noneMatch(n -> n.contains("cars"));
        assertThat(dataDir.resolve("tenants")).doesNotExist();
        assertThat(dataDir.resolve("platform/docs")).doesNotExist();
    }

    @Test
    void aTenantsKey_opensNoOtherTenantsAccount() {
        BlobServiceClient acmeKeyOnGlobex = service("globex", "acme");
        assertForbidden(() -> blobNames(acmeKeyOnGlobex.getBlobContainerClient("latchkey")));
        assertForbidden(() -> acmeKeyOnGlobex.getBlobContainerClient("latchkey").getBlobClient("docs/x/y.json")
                .upload(BinaryData.fromString("{}")));
    }

    @Test
    void aTenantsKey_opensNotThePlatformAccount() {
        BlobServiceClient acmeKeyOnPlatform = service("platform", "acme");
        assertForbidden(() -> blobNames(acmeKeyOnPlatform.getBlobContainerClient("latchkey-platform")));
        assertForbidden(() -> acmeKeyOnPlatform.getBlobContainerClient("latchkey-platform")
                .getBlobClient("docs/tenants/evil.json").upload(BinaryData.fromString("{}")));
    }

    @Test
    void aTenantConfiguredWithThePlatformsAccount_isNotCreated() {
        Http.Reply reply = app.http.postJson("/platform/tenants", app.adminToken(), Map.of("id", "initech", "name", "Initech"));
        assertThat(reply.status()).isEqualTo(500);
        assertThat(reply.body()).doesNotContain("AccountKey");
        assertThat(expect(200, app.http.get("/platform/tenants", app.adminToken())).body()).doesNotContain("initech");
        assertThat(blobNames(service("platform", "platform").getBlobContainerClient("latchkey-platform")))
                .noneMatch(n -> n.contains("initech"));
    }

    @Test
    void aTenantAdminsDataAccess_isAReadAndListSas_thatCannotWriteOrDelete() {
        JsonNode grant = expect(201, app.http.postJson("/t/acme/data-access", acmeAdmin, Map.of("days", 7))).json();
        assertThat(grant.path("kind").asText()).isEqualTo("azure-sas");
        assertThat(Instant.parse(grant.path("expiresAt").asText())).isBefore(Instant.now().plus(Duration.ofDays(7)).plusSeconds(60));
        String url = grant.path("url").asText();
        assertThat(url).startsWith(azurite.endpoint("acme") + "/latchkey?").contains("sp=rl").doesNotContain(azurite.key("acme"));
        BlobContainerClient withSas = new BlobContainerClientBuilder().endpoint(url).buildClient();

        assertThat(blobNames(withSas)).contains("docs/cars/car-1.json");
        assertThat(withSas.getBlobClient("docs/cars/car-1.json").downloadContent().toString()).contains("car-1");

        assertForbidden(() -> withSas.getBlobClient("docs/cars/car-1.json").upload(BinaryData.fromString("{}"), true));
        assertForbidden(() -> withSas.getBlobClient("docs/cars/new.json").upload(BinaryData.fromString("{}")));
        assertForbidden(() -> withSas.getBlobClient("docs/cars/car-1.json").delete());
        assertForbidden(() -> withSas.getBlobClient("streams/audit/0000000000.jsonl").getAppendBlobClient()
                .appendBlock(new java.io.ByteArrayInputStream("{}\n".getBytes()), 3));
        assertThat(service("acme", "acme").getBlobContainerClient("latchkey").getBlobClient("docs/cars/car-1.json")
                .downloadContent().toString()).contains("car-1");
    }

    @Test
    void dataAccess_forMoreThanSevenDays_isRefused() {
        expect(400, app.http.postJson("/t/acme/data-access", acmeAdmin, Map.of("days", 8)));
    }

    private BlobServiceClient service(String account, String keyOf) {
        return new BlobServiceClientBuilder().endpoint(azurite.endpoint(account))
                .credential(new StorageSharedKeyCredential(account, azurite.key(keyOf))).buildClient();
    }

    private static List<String> blobNames(BlobContainerClient container) {
        List<String> names = new ArrayList<>();
        for (BlobItem item : container.listBlobs()) {
            names.add(item.getName());
        }
        return names;
    }

    private static void assertForbidden(Runnable call) {
        assertThatThrownBy(call::run).isInstanceOfSatisfying(BlobStorageException.class,
                e -> assertThat(e.getStatusCode()).isEqualTo(403));
    }
}
