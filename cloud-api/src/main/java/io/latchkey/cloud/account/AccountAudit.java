package io.latchkey.cloud.account;

import io.latchkey.cloud.audit.AuditEntry;
import io.latchkey.cloud.audit.AuditLog;
import io.micronaut.context.BeanProvider;
import jakarta.inject.Singleton;
import java.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Appends account actions to the tenant's {@link AuditLog}: registrations, sign-in refusals with their
 * internal reason, lockouts, unlocks, resets, terminations, key rotations. Entries name users by id only,
 * never by e-mail or name: the trail is kept after termination and must not hold PII. Until an
 * {@code AuditLog} implementation is present, entries go to this class's log instead.
 */
@Singleton
public class AccountAudit {
    public static final String ANONYMOUS = "anonymous";
    public static final String SYSTEM_ACTOR = AuditEntry.SYSTEM;
    private static final Logger LOG = LoggerFactory.getLogger(AccountAudit.class);

    private final BeanProvider<AuditLog> auditLog;
    private final Clock clock;

    public AccountAudit(BeanProvider<AuditLog> auditLog, Clock clock) {
        this.auditLog = auditLog;
        this.clock = clock;
    }

    public void record(String tenant, String actor, String action, String subject, String outcome) {
        AuditEntry entry = new AuditEntry(actor, clock.instant(), action, subject, outcome);
        if (auditLog.isPresent()) {
            auditLog.get().append(tenant, entry);
        } else {
            LOG.info("audit {} {}", tenant, entry);
        }
    }

    public static String user(String userId) {
        return "user/" + userId;
    }
}
