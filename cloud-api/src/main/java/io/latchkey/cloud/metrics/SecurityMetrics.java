package io.latchkey.cloud.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.inject.Singleton;

/**
 * Security-relevant counts, per tenant, exported at {@code /prometheus}:
 * {@code latchkey_signin_failed_total}, {@code latchkey_account_lockouts_total},
 * {@code latchkey_cross_tenant_refused_total}, {@code latchkey_ack_refused_total} (tag {@code reason}). Callers only report; they never read them back.
 */
@Singleton
public class SecurityMetrics {
    static final String FAILED_SIGN_INS = "latchkey.signin.failed";
    static final String LOCKOUTS = "latchkey.account.lockouts";
    static final String CROSS_TENANT_REFUSED = "latchkey.cross.tenant.refused";
    static final String ACKS_REFUSED = "latchkey.ack.refused";
    static final String OTA_STATUS_REFUSED = "latchkey.ota.status.refused";

    private final MeterRegistry registry;
    private final TenantTag tenantTag;

    public SecurityMetrics(MeterRegistry registry, TenantTag tenantTag) {
        this.registry = registry;
        this.tenantTag = tenantTag;
    }

    /** A sign-in with a wrong password, an unknown user or a locked account. */
    public void failedSignIn(String tenant) {
        count(FAILED_SIGN_INS, "Failed sign-in attempts", tenant);
    }

    /** An account was locked (temporarily after repeated failures, or permanently). */
    public void lockout(String tenant) {
        count(LOCKOUTS, "Accounts locked", tenant);
    }

    /** A call on {@code /t/{tenant}/...} carried a token of another tenant (or of the platform) and was refused. */
    public void crossTenantRefused(String tenant) {
        count(CROSS_TENANT_REFUSED, "Calls refused because the token belongs to another tenant", tenant);
    }

    /**
     * An acknowledgement that did not prove it comes from the device it names (unsigned, bad signature,
     * another device, tenant or command, no active key) and was dropped.
     */
    public void ackRefused(String tenant, String reason) {
        Counter.builder(ACKS_REFUSED).description("Command acknowledgements refused because their device signature does not verify")
                .tag("tenant", tenantTag.of(tenant)).tag("reason", reason).register(registry).increment();
    }

    /** An update status ({@code ota-status}) that did not prove it comes from the device it names, dropped. */
    public void otaStatusRefused(String tenant) {
        count(OTA_STATUS_REFUSED, "Update statuses refused because their device signature does not verify", tenant);
    }

    private void count(String name, String description, String tenant) {
        Counter.builder(name).description(description).tag("tenant", tenantTag.of(tenant)).register(registry).increment();
    }
}
