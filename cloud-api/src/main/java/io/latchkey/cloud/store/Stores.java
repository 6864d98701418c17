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
}
