package io.latchkey.cloud.audit;

/**
 * The tenant's tamper-evident audit trail: every business-critical action (registrations, bookings,
 * unlocks, lockouts, terminations, ...) is appended, never changed. Each record carries the SHA-256 of
 * the previous record's canonical bytes, so removing, reordering or editing a record breaks the chain
 * at that point. Records are kept in the tenant's own store ({@code audit} stream).
 */
public interface AuditLog {

    /**
     * Appends an entry to the tenant's trail, chained to the record before it.
     *
     * @return the record as stored, with its index and hashes
     * @throws IllegalArgumentException if the tenant id is malformed
     * @throws io.latchkey.cloud.store.StoreException if the tenant's store cannot be written; the action
     *         should then be treated as not audited (callers decide whether that refuses the action)
     */
    AuditRecord append(String tenant, AuditEntry entry);

    /**
     * Appends several entries in order, each its own record chained to the one before (a bulk action audits
     * each thing it did); implementations write them together where they can.
     *
     * @return the records as stored, in order
     * @throws io.latchkey.cloud.store.StoreException as {@link #append}; records before the failing one may be stored
     */
    default java.util.List<AuditRecord> appendAll(String tenant, java.util.List<AuditEntry> entries) {
        return entries.stream().map(e -> append(tenant, e)).toList();
    }

    /**
     * Re-reads the tenant's whole trail and recomputes the chain.
     *
     * @return {@link ChainVerification#intact()} with the record count, or the index of the first record
     *         whose link or own hash does not match
     */
    ChainVerification verify(String tenant);
}
