package io.latchkey.cloud.tenant;

import io.latchkey.cloud.audit.AuditEntry;
import io.latchkey.cloud.audit.AuditLog;
import io.latchkey.cloud.audit.AuditRecord;
import io.latchkey.cloud.audit.ChainVerification;
import io.latchkey.cloud.audit.HashChainedAuditLog;
import io.latchkey.cloud.store.StoreException;
import io.latchkey.cloud.store.Stores;
import io.micronaut.context.annotation.Replaces;
import io.micronaut.context.annotation.Requires;
import jakarta.inject.Singleton;
import java.util.concurrent.atomic.AtomicReference;

/** The real audit trail, which can be told to fail once on a given action. Active only with {@code test.audit=failing}. */
@Singleton
@Replaces(AuditLog.class)
@Requires(property = "test.audit", value = "failing")
public class FailingAuditLog implements AuditLog {
    private final HashChainedAuditLog real;
    private final AtomicReference<String> failOnce = new AtomicReference<>();

    public FailingAuditLog(Stores stores) {
        this.real = new HashChainedAuditLog(stores);
    }

    public void failNext(String action) {
        failOnce.set(action);
    }

    @Override
    public AuditRecord append(String tenant, AuditEntry entry) {
        if (entry.action().equals(failOnce.getAndUpdate(armed -> entry.action().equals(armed) ? null : armed))) {
            throw new StoreException("No space left on device (injected)");
        }
        return real.append(tenant, entry);
    }

    @Override
    public ChainVerification verify(String tenant) {
        return real.verify(tenant);
    }
}
