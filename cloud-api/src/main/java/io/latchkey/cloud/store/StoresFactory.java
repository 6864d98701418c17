package io.latchkey.cloud.store;

import io.latchkey.cloud.store.azure.AzureStores;
import io.micronaut.context.BeanProvider;
import io.micronaut.context.annotation.Factory;
import jakarta.inject.Singleton;

/**
 * The one {@link Stores} bean, chosen by {@code latchkey.store.type}. Going through {@link StoreConfig}
 * first means a bad type stops the start with a message naming the key, whichever bean asks first.
 */
@Factory
public class StoresFactory {

    @Singleton
    Stores stores(StoreConfig config, BeanProvider<FileStores> file, BeanProvider<AzureStores> azure) {
        return config.azure() ? azure.get() : file.get();
    }
}
