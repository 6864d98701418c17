package io.latchkey.cloud.backup;

import io.latchkey.cloud.store.FileTenantStore;
import io.latchkey.cloud.store.Stores;
import io.latchkey.cloud.store.TenantStore;
import io.latchkey.protocol.Topic;
import java.nio.file.Path;

/**
 * The file store's layout under a directory ({@code platform/}, {@code tenants/{id}/}) as {@link Stores}: a data
 * directory, or a backup (which has the same layout). Unlike the backend's {@code FileStores} it takes no lock, so
 * a backup can read a running backend's data directory (every write there is an atomic move or an append).
 */
final class FileScopes implements Stores {
    private final Path root;

    private FileScopes(Path root) {
        this.root = root;
    }

    static FileScopes reading(Path root) {
        return new FileScopes(root);
    }

    @Override
    public TenantStore platform() {
        return new FileTenantStore(root.resolve("platform"));
    }

    @Override
    public TenantStore tenant(String tenantId) {
        Topic.requireTenantId(tenantId);
        return new FileTenantStore(root.resolve("tenants").resolve(tenantId));
    }
}
