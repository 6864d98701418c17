package io.latchkey.cloud.it;

import io.latchkey.cloud.audit.AuditEntry;
import io.latchkey.cloud.audit.AuditLog;
import io.latchkey.cloud.audit.AuditRecord;
import io.latchkey.cloud.audit.ChainVerification;
import io.micronaut.context.annotation.Replaces;
import io.micronaut.context.annotation.Requires;
import jakarta.inject.Singleton;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Keeps audit entries in memory so that a test can assert on them. Only active when a test starts the app
 * with {@code test.audit=recording}; it then stands in for the real {@link AuditLog}.
 */
@Singleton
@Replaces(AuditLog.class)
@Requires(property = "test.audit", value = "recording")
public class RecordingAuditLog implements AuditLog {
    public record Recorded(String tenant, AuditEntry entry) {
    }

    private final List<Recorded> entries = new CopyOnWriteArrayList<>();

    @Override
    public AuditRecord append(String tenant, AuditEntry entry) {
        entries.add(new Recorded(tenant, entry));
        return new AuditRecord(entries.size() - 1, entry.actor(), entry.time(), entry.action(), entry.subject(),
                entry.outcome(), "", "");
    }

    @Override
    public ChainVerification verify(String tenant) {
        return ChainVerification.intact(entries.stream().filter(e -> e.tenant().equals(tenant)).count());
    }

    /** Everything recorded so far, in order. */
    public List<Recorded> all() {
        return List.copyOf(entries);
    }

    public List<AuditEntry> of(String tenant, String subject) {
        return entries.stream().filter(e -> e.tenant().equals(tenant) && e.entry().subject().equals(subject))
                .map(Recorded::entry).toList();
    }
}
