package io.latchkey.cloud.audit;

import jakarta.inject.Singleton;
import java.time.Clock;

/** Appends to the {@link AuditLog} with the time taken from the injected clock. */
@Singleton
public class Auditor {
    /** The actor for a platform admin: platform users live outside every tenant. */
    public static String platformActor(String user) {
        return "platform:" + user;
    }

    private final AuditLog log;
    private final Clock clock;

    public Auditor(AuditLog log, Clock clock) {
        this.log = log;
        this.clock = clock;
    }

    /**
     * @see AuditEntry for what each argument holds
     * @throws io.latchkey.cloud.store.StoreException if the trail cannot be written
     */
    public AuditRecord record(String tenant, String actor, String action, String subject, String outcome) {
        return log.append(tenant, new AuditEntry(actor, clock.instant(), action, subject, outcome));
    }

    /** One record per subject, the same action and outcome, written together (a bulk action). */
    public java.util.List<AuditRecord> recordAll(String tenant, String actor, String action, java.util.List<String> subjects,
                                                 String outcome) {
        java.time.Instant now = clock.instant();
        return log.appendAll(tenant, subjects.stream().map(s -> new AuditEntry(actor, now, action, s, outcome)).toList());
    }
}
