package io.latchkey.cloud.identity;

import io.latchkey.cloud.metrics.SecurityMetrics;
import io.micronaut.context.BeanProvider;
import jakarta.inject.Singleton;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Security-relevant counts since start: refused tokens, failed sign-ins, lockouts and calls refused
 * because their token belonged to another tenant. Totals are kept here (tests and {@link #snapshot()} read
 * them); each event is also reported per tenant to {@link SecurityMetrics} (Micrometer, {@code /prometheus}).
 */
@Singleton
public class SecurityCounters {
    public static final String REJECTED_TOKENS = "latchkey.security.rejected.tokens";
    public static final String FAILED_SIGN_INS = "latchkey.security.failed.sign.ins";
    public static final String LOCKOUTS = "latchkey.security.lockouts";
    public static final String CROSS_TENANT_REFUSALS = "latchkey.security.cross.tenant.refusals";

    private final AtomicLong rejectedTokens = new AtomicLong();
    private final AtomicLong failedSignIns = new AtomicLong();
    private final AtomicLong lockouts = new AtomicLong();
    private final AtomicLong crossTenantRefusals = new AtomicLong();
    private final BeanProvider<SecurityMetrics> metrics;

    public SecurityCounters(BeanProvider<SecurityMetrics> metrics) {
        this.metrics = metrics;
    }

    public void rejectedToken() {
        rejectedTokens.incrementAndGet();
    }

    /** @param tenant the tenant signed in to, or null for the platform */
    public void failedSignIn(String tenant) {
        failedSignIns.incrementAndGet();
        metrics.ifPresent(m -> m.failedSignIn(tenant));
    }

    /** An account was locked, temporarily (failed sign-ins) or for good (operator, failed reset). */
    public void lockout(String tenant) {
        lockouts.incrementAndGet();
        metrics.ifPresent(m -> m.lockout(tenant));
    }

    /** A call under {@code /t/A/...} carried a token issued by another tenant (or by the platform). */
    public void crossTenantRefusal(String pathTenant) {
        crossTenantRefusals.incrementAndGet();
        metrics.ifPresent(m -> m.crossTenantRefused(pathTenant));
    }

    public long rejectedTokens() {
        return rejectedTokens.get();
    }

    public long failedSignIns() {
        return failedSignIns.get();
    }

    public long lockouts() {
        return lockouts.get();
    }

    public long crossTenantRefusals() {
        return crossTenantRefusals.get();
    }

    public Map<String, Long> snapshot() {
        return Map.of(REJECTED_TOKENS, rejectedTokens(), FAILED_SIGN_INS, failedSignIns(), LOCKOUTS, lockouts(),
                CROSS_TENANT_REFUSALS, crossTenantRefusals());
    }
}
