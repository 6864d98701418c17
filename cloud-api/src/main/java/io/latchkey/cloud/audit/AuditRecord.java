package io.latchkey.cloud.audit;

import io.micronaut.serde.annotation.Serdeable;
import java.time.Instant;

/**
 * An {@link AuditEntry} as stored: its position in the trail, the hash of the previous record
 * ({@code prev}, 64 zeros for the first) and its own hash over its canonical bytes.
 */
@Serdeable
public record AuditRecord(long index, String actor, Instant time, String action, String subject, String outcome,
                          String prev, String hash) {

    public AuditEntry entry() {
        return new AuditEntry(actor, time, action, subject, outcome);
    }
}
