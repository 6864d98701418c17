package io.latchkey.cloud.store;

import io.latchkey.cloud.LatchkeyConfig;
import io.latchkey.protocol.Topic;
import io.micronaut.context.annotation.Bean;
import io.micronaut.context.annotation.Requires;
import jakarta.inject.Singleton;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The embedded default ({@code latchkey.store.type=file}): {@code {data-dir}/platform} and
 * {@code {data-dir}/tenants/{id}}. Handed out as {@link Stores} by {@link StoresFactory}.
 */
@Singleton
@Bean(typed = FileStores.class)
@Requires(property = "latchkey.store.type", value = StoreConfig.FILE, defaultValue = StoreConfig.FILE)
public final class FileStores implements Stores {
    private final Path dataDir;
    private final FileTenantStore platform;
    private final Map<String, TenantStore> tenants = new ConcurrentHashMap<>();

    public FileStores(LatchkeyConfig config) {
        this.dataDir = config.dataDirPath();
        this.platform = new FileTenantStore(dataDir.resolve("platform"));
    }

    @Override
    public TenantStore platform() {
        return platform;
    }

    /** The data directory lock (taken before this bean exists) keeps every other process out of it. */
    @Override
    public boolean writtenByThisProcessOnly() {
        return true;
    }

    @Override
    public TenantStore tenant(String tenantId) {
        Topic.requireTenantId(tenantId);
        return tenants.computeIfAbsent(tenantId, id -> new FileTenantStore(dataDir.resolve("tenants").resolve(id)));
    }
}
