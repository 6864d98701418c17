package io.latchkey.cloud.access;

import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.blob.sas.BlobContainerSasPermission;
import com.azure.storage.blob.sas.BlobServiceSasSignatureValues;
import com.azure.storage.common.sas.SasProtocol;
import io.latchkey.cloud.store.StoreConfig;
import io.latchkey.cloud.store.azure.AzureStores;
import io.micronaut.context.annotation.Requires;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;

/**
 * With Azure: a service SAS on the tenant's own container, signed with that tenant's account key, granting
 * read and list only, HTTPS only (plain HTTP only when the account itself is an http emulator endpoint).
 */
@Singleton
@Requires(property = "latchkey.store.type", value = StoreConfig.AZURE)
public class AzureSasGrants implements DataAccessGrants {
    private final AzureStores stores;
    private final Clock clock;

    public AzureSasGrants(AzureStores stores, Clock clock) {
        this.stores = stores;
        this.clock = clock;
    }

    @Override
    public DataAccessGrant grant(String tenant, Duration validity) {
        DataAccessGrants.requireValidity(validity);
        Instant expiresAt = clock.instant().plus(validity);
        BlobContainerClient container = stores.azureTenant(tenant).container();
        return new DataAccessGrant("azure-sas", container.getBlobContainerUrl() + "?" + sas(container, expiresAt),
                expiresAt, DataAccessGrant.READ_ONLY);
    }

    /** Exposed to tests, which also mint already expired ones. */
    static String sas(BlobContainerClient container, Instant expiresAt) {
        BlobContainerSasPermission readAndList = new BlobContainerSasPermission().setReadPermission(true).setListPermission(true);
        boolean https = container.getBlobContainerUrl().startsWith("https:");
        BlobServiceSasSignatureValues values = new BlobServiceSasSignatureValues(expiresAt.atOffset(ZoneOffset.UTC), readAndList)
                .setProtocol(https ? SasProtocol.HTTPS_ONLY : SasProtocol.HTTPS_HTTP);
        return container.generateSas(values);
    }
}
