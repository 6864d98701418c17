package io.latchkey.cloud.store.azure;

import io.latchkey.cloud.secrets.SecretStore;
import io.latchkey.cloud.store.StoreConfig;
import io.latchkey.cloud.store.StoreException;
import io.micronaut.context.annotation.Requires;
import io.micronaut.context.env.Environment;
import io.micronaut.context.exceptions.ConfigurationException;
import jakarta.inject.Singleton;
import java.util.Optional;

/**
 * Finds each storage account's connection string: in configuration
 * ({@code latchkey.store.azure.platform.connection-string},
 * {@code latchkey.store.azure.tenants.{tenant}.connection-string}), or else in that tenant's own secret
 * scope (the platform's for the platform) under {@value #SECRET_NAME}, where a key vault provider puts it.
 * Tenants are looked up when first used, so a tenant created at run time needs no restart.
 */
@Singleton
@Requires(property = "latchkey.store.type", value = StoreConfig.AZURE)
public class AzureAccounts {
    public static final String SECRET_NAME = "azure-storage-connection-string";
    static final String PLATFORM_CONTAINER = "latchkey-platform";

    private final Environment environment;
    private final SecretStore secrets;
    private final AzureStoreConfig config;

    public AzureAccounts(Environment environment, SecretStore secrets, AzureStoreConfig config) {
        this.environment = environment;
        this.secrets = secrets;
        this.config = config;
    }

    /** @throws ConfigurationException naming the key when the platform account is not configured */
    public AzureAccount platform() {
        String key = "latchkey.store.azure.platform.connection-string";
        String connection = setting(key).or(() -> secrets.get(SecretStore.PLATFORM, SECRET_NAME))
                .orElseThrow(() -> new ConfigurationException(key + " is required when latchkey.store.type is azure "
                        + "(or the platform secret " + SECRET_NAME + ")"));
        String containerKey = "latchkey.store.azure.platform.container";
        String container = setting(containerKey).orElse(PLATFORM_CONTAINER);
        AzureStoreConfig.requireContainerName(containerKey, container);
        return new AzureAccount(connection, container);
    }

    /** @throws StoreException when neither configuration nor the tenant's secrets name its account */
    public AzureAccount tenant(String tenant) {
        String prefix = "latchkey.store.azure.tenants." + tenant + ".";
        String connection = setting(prefix + "connection-string").or(() -> secrets.get(tenant, SECRET_NAME))
                .orElseThrow(() -> new StoreException("tenant " + tenant + " has no storage account: set "
                        + prefix + "connection-string or the secret " + SECRET_NAME + " in its secret scope"));
        String container = setting(prefix + "container").orElse(config.container());
        AzureStoreConfig.requireContainerName(prefix + "container", container);
        return new AzureAccount(connection, container);
    }

    private Optional<String> setting(String key) {
        return environment.getProperty(key, String.class).filter(s -> !s.isBlank());
    }
}
