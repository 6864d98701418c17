package io.latchkey.cloud.access;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.azure.core.util.BinaryData;
import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.blob.BlobContainerClientBuilder;
import com.azure.storage.blob.models.BlobStorageException;
import io.latchkey.cloud.store.azure.AzureBlobClients;
import io.latchkey.cloud.store.azure.AzuriteServer;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The SAS itself, minted as {@link AzureSasGrants} does, checked by a real blob service with the Azure SDK. */
class AzureSasGrantsIT {
    private static AzuriteServer azurite;
    private static BlobContainerClient container;

    @BeforeAll
    static void start() {
        azurite = AzuriteServer.start("acme");
        container = new AzureBlobClients().container(azurite.connectionString("acme"), "latchkey");
        container.getBlobClient("docs/cars/car-1.json").upload(BinaryData.fromString("{\"id\":\"car-1\"}"), true);
    }

    @AfterAll
    static void stop() {
        if (azurite != null) {
            azurite.close();
        }
    }

    private static BlobContainerClient withSas(Instant expiresAt) {
        String url = container.getBlobContainerUrl() + "?" + AzureSasGrants.sas(container, expiresAt);
        return new BlobContainerClientBuilder().endpoint(url).buildClient();
    }

    @Test
    void aValidSas_readsAndLists() {
        BlobContainerClient reader = withSas(Instant.now().plus(Duration.ofHours(1)));
        assertThat(reader.listBlobs().stream().map(b -> b.getName())).contains("docs/cars/car-1.json");
        assertThat(reader.getBlobClient("docs/cars/car-1.json").downloadContent().toString()).isEqualTo("{\"id\":\"car-1\"}");
    }

    @Test
    void aValidSas_neitherWritesNorDeletes() {
        BlobContainerClient reader = withSas(Instant.now().plus(Duration.ofHours(1)));
        assertForbidden(() -> reader.getBlobClient("docs/cars/car-1.json").upload(BinaryData.fromString("{}"), true));
        assertForbidden(() -> reader.getBlobClient("docs/cars/car-2.json").upload(BinaryData.fromString("{}")));
        assertForbidden(() -> reader.getBlobClient("docs/cars/car-1.json").delete());
        assertForbidden(() -> reader.getBlobClient("docs/cars/car-1.json").setMetadata(java.util.Map.of("x", "y")));
        assertThat(container.getBlobClient("docs/cars/car-1.json").downloadContent().toString()).isEqualTo("{\"id\":\"car-1\"}");
    }

    @Test
    void anExpiredSas_readsNothing() {
        BlobContainerClient expired = withSas(Instant.now().minus(Duration.ofMinutes(5)));
        assertForbidden(() -> expired.getBlobClient("docs/cars/car-1.json").downloadContent());
        assertForbidden(() -> expired.listBlobs().iterator().hasNext());
    }

    @Test
    void moreThanSevenDays_isRefusedBeforeAnythingIsSigned() {
        assertThatThrownBy(() -> DataAccessGrants.requireValidity(Duration.ofDays(7).plusSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class);
        DataAccessGrants.requireValidity(Duration.ofDays(7));
    }

    private static void assertForbidden(Runnable call) {
        assertThatThrownBy(call::run).isInstanceOfSatisfying(BlobStorageException.class,
                e -> assertThat(e.getStatusCode()).isEqualTo(403));
    }
}
