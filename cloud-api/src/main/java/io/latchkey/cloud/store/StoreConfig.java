package io.latchkey.cloud.store;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.context.annotation.Context;
import io.micronaut.context.exceptions.ConfigurationException;
import io.micronaut.core.bind.annotation.Bindable;
import java.util.Set;

/**
 * Which store holds the platform's and the tenants' data.
 *
 * @param type {@code latchkey.store.type}: {@code file} (embedded default, {@link FileStores}) or
 *             {@code azure} (one storage account per tenant, {@link io.latchkey.cloud.store.azure.AzureStores})
 */
@Context
@ConfigurationProperties("latchkey.store")
public record StoreConfig(@Bindable(defaultValue = StoreConfig.FILE) String type) {
    public static final String FILE = "file";
    public static final String AZURE = "azure";
    private static final Set<String> TYPES = Set.of(FILE, AZURE);

    public StoreConfig {
        if (!TYPES.contains(type)) {
            throw new ConfigurationException("latchkey.store.type must be file or azure, got '" + type + "'");
        }
    }

    public boolean azure() {
        return AZURE.equals(type);
    }
}
