package io.latchkey.cloud.metrics;

import io.latchkey.cloud.tenant.TenantDirectory;
import jakarta.inject.Provider;
import jakarta.inject.Singleton;

/**
 * The {@code tenant} tag of a meter. Only tenants that exist get their own series; any other name a
 * caller put in a path becomes {@code unknown}, so that requests for made-up tenants cannot grow the
 * registry without bound.
 */
@Singleton
public class TenantTag {
    static final String UNKNOWN = "unknown";

    // a provider: the tenant directory is built lazily, so security code can use metrics from its own constructors
    private final Provider<TenantDirectory> tenants;

    public TenantTag(Provider<TenantDirectory> tenants) {
        this.tenants = tenants;
    }

    public String of(String tenant) {
        if (tenant == null) {
            return UNKNOWN;
        }
        return tenants.get().exists(tenant) ? tenant : UNKNOWN;
    }
}
