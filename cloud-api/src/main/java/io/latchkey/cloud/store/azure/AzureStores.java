package io.latchkey.cloud.store.azure;

import com.azure.storage.blob.BlobContainerClient;
import io.latchkey.cloud.store.StoreConfig;
import io.latchkey.cloud.store.StoreException;
import io.latchkey.cloud.store.Stores;
import io.latchkey.cloud.store.TenantStore;
import io.latchkey.protocol.Topic;
import io.micronaut.context.annotation.Bean;
import io.micronaut.context.annotation.Requires;
import jakarta.inject.Singleton;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@code latchkey.store.type=azure}: the platform in its own account, each tenant in its own account, each
 * opened with that account's own key only. A tenant configured with the platform's account, or with an
 * account another tenant already uses, is refused: a leaked tenant key must expose nobody else's data.
 */
@Singleton
@Bean(typed = AzureStores.class)
@Requires(property = "latchkey.store.type", value = StoreConfig.AZURE)
public final class AzureStores implements Stores {
    private final AzureAccounts accounts;
    private final AzureStoreConfig config;
    private final AzureBlobClients clients = new AzureBlobClients();
    private final AzureBlobTenantStore platform;
    private final String platformAccount;
    private final Map<String, AzureBlobTenantStore> tenants = new ConcurrentHashMap<>();
    private final Map<String, String> tenantOfAccount = new ConcurrentHashMap<>();

    public AzureStores(AzureAccounts accounts, AzureStoreConfig config) {
        this.accounts = accounts;
        this.config = config;
        this.platform = open(accounts.platform());
        this.platformAccount = platform.container().getAccountName();
    }

    @Override
    public TenantStore platform() {
        return platform;
    }

    @Override
    public TenantStore tenant(String tenantId) {
        return azureTenant(tenantId);
    }

    /** The tenant's store with its container, for minting read-only SAS URLs. */
    public AzureBlobTenantStore azureTenant(String tenantId) {
        Topic.requireTenantId(tenantId);
        return tenants.computeIfAbsent(tenantId, id -> {
            AzureBlobTenantStore store = open(accounts.tenant(id));
            String account = store.container().getAccountName();
            if (account.equals(platformAccount)) {
                throw new StoreException("tenant " + id + " is configured with the platform's storage account; "
                        + "each tenant needs its own");
            }
            String owner = tenantOfAccount.putIfAbsent(account, id);
            if (owner != null && !owner.equals(id)) {
                throw new StoreException("tenant " + id + " is configured with the storage account of tenant " + owner
                        + "; each tenant needs its own");
            }
            return store;
        });
    }

    private AzureBlobTenantStore open(AzureAccount account) {
        BlobContainerClient container = clients.container(account.connectionString(), account.container());
        return new AzureBlobTenantStore(container, config.segmentBytes(), config.timeout(), clients.blockingCalls());
    }
}
