package io.latchkey.cloud.store;

/**
 * Hands out the platform store and each tenant's own store. Tenants never share a store: with files
 * each has its own directory, with Azure its own storage account.
 */
public interface Stores {
    /** Platform configuration (tenants, platform admins); no tenant route ever reads it. */
    TenantStore platform();

    /** The store of one tenant; the caller has checked that the tenant exists. */
    TenantStore tenant(String tenantId);

    /**
     * Whether this process is the only one that writes these stores, so that what it holds in memory (a
     * claim on an id, say) excludes every other writer: true for the file store, whose data directory is
     * locked by one process ({@code datadir.DataDirectoryGuard}); false for stores that several replicas
     * share (Azure), where only the store's own conditional writes decide between writers.
     */
    default boolean writtenByThisProcessOnly() {
        return false;
    }
}
