package io.latchkey.cloud.store.azure;

import io.latchkey.cloud.store.StoreConfig;
import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.context.annotation.Requires;
import io.micronaut.context.exceptions.ConfigurationException;
import io.micronaut.core.bind.annotation.Bindable;
import java.time.Duration;

/**
 * Settings shared by every account when {@code latchkey.store.type=azure}. The accounts themselves are
 * per tenant, see {@link AzureAccounts}.
 *
 * @param container    {@code latchkey.store.azure.container}: the container in each tenant's account
 *                     (a tenant may override it with {@code latchkey.store.azure.tenants.{tenant}.container})
 * @param segmentBytes {@code latchkey.store.azure.segment-bytes}: size at which a stream moves on to its
 *                     next append blob
 * @param timeout      {@code latchkey.store.azure.timeout}: per call to the storage service
 */
@ConfigurationProperties("latchkey.store.azure")
@Requires(property = "latchkey.store.type", value = StoreConfig.AZURE)
public record AzureStoreConfig(@Bindable(defaultValue = "latchkey") String container,
                               @Bindable(defaultValue = "4194304") long segmentBytes,
                               @Bindable(defaultValue = "30s") Duration timeout) {

    public AzureStoreConfig {
        requireContainerName("latchkey.store.azure.container", container);
        if (segmentBytes < 1024 || segmentBytes > 64L * 1024 * 1024) {
            throw new ConfigurationException("latchkey.store.azure.segment-bytes must be 1024..67108864, got " + segmentBytes);
        }
        if (timeout.isNegative() || timeout.isZero()) {
            throw new ConfigurationException("latchkey.store.azure.timeout must be a positive duration such as 30s, got " + timeout);
        }
    }

    /** Azure's container naming rule: 3-63 lower-case letters, digits and single hyphens. */
    static void requireContainerName(String key, String name) {
        if (name == null || !name.matches("[a-z0-9](?!.*--)[a-z0-9-]{1,61}[a-z0-9]")) {
            throw new ConfigurationException(key + " must be an Azure container name (3-63 lower-case letters, digits, "
                    + "single hyphens), got '" + name + "'");
        }
    }
}
