package io.latchkey.cloud.identity;

import jakarta.inject.Singleton;
import java.util.concurrent.atomic.AtomicLong;

/** Security-relevant counts (refused tokens, failed sign-ins). Issue 4 exports them through Micrometer. */
@Singleton
public class SecurityCounters {
    private final AtomicLong rejectedTokens = new AtomicLong();
    private final AtomicLong failedSignIns = new AtomicLong();

    public void rejectedToken() {
        rejectedTokens.incrementAndGet();
    }

    public void failedSignIn() {
        failedSignIns.incrementAndGet();
    }

    public long rejectedTokens() {
        return rejectedTokens.get();
    }

    public long failedSignIns() {
        return failedSignIns.get();
    }
}
