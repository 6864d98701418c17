package io.latchkey.cloud.tenant;

/**
 * Key material each tenant gets in its own secret scope when it is created: token signing keys
 * (identity), the command key (here), the device CA (device). Implemented by the layer that owns the
 * keys, so that the tenant directory needs to know none of them. The order they are created in does
 * not matter: each is kept apart, and creating one again is a no-op.
 */
public interface TenantKeys {
    /** Creates the tenant's keys if it has none yet. */
    void createFor(String tenant);
}
