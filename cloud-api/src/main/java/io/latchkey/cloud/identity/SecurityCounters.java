package io.latchkey.cloud.identity;

import jakarta.inject.Singleton;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Security-relevant counts since start: refused tokens, failed sign-ins, lockouts and calls refused
 * because their token belonged to another tenant. A metrics exporter reads them through {@link #snapshot()}
 * (names are stable: {@code latchkey.security.*}).
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

    public void rejectedToken() {
        rejectedTokens.incrementAndGet();
    }

    public void failedSignIn() {
        failedSignIns.incrementAndGet();
    }

    /** An account was locked, temporarily (failed sign-ins) or for good (operator, failed reset). */
    public void lockout() {
        lockouts.incrementAndGet();
    }

    /** A call under {@code /t/A/...} carried a token issued by another tenant (or by the platform). */
    public void crossTenantRefusal() {
        crossTenantRefusals.incrementAndGet();
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
