package io.latchkey.cloud.audit;

import io.latchkey.cloud.store.StoreException;
import io.latchkey.cloud.store.Stores;
import io.latchkey.cloud.store.StreamChangedException;
import io.latchkey.cloud.store.StreamEnd;
import io.latchkey.cloud.store.TenantStore;
import io.latchkey.protocol.Topic;
import jakarta.inject.Singleton;
import io.micronaut.core.annotation.Nullable;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link AuditLog} in each tenant's own store, stream {@value #STREAM} (an append file, or append
 * blobs on Azure). Every record is appended with {@link TenantStore#appendAt} after the record it links
 * to, so two writers (threads or replicas) can never both chain onto the same record: the loser re-reads
 * the end and links to the winner's record.
 */
@Singleton
public class HashChainedAuditLog implements AuditLog {
    public static final String STREAM = "audit";
    private static final Logger LOG = LoggerFactory.getLogger(HashChainedAuditLog.class);
    private static final int MAX_ATTEMPTS = 50;

    private final Stores stores;
    private final Map<String, Head> heads = new ConcurrentHashMap<>();

    /** The record the next one links to, and where the stream ends after it. */
    private record Head(long nextIndex, String hash, String position) {
    }

    public HashChainedAuditLog(Stores stores) {
        this.stores = stores;
    }

    @Override
    public AuditRecord append(String tenant, AuditEntry entry) {
        Topic.requireTenantId(tenant);
        TenantStore store = stores.tenant(tenant);
        synchronized (heads.computeIfAbsent(tenant, t -> new Head(-1, null, null))) {
            for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
                Head head = heads.get(tenant);
                if (head.position() == null) {
                    head = readHead(tenant, store);
                }
                AuditRecord record = AuditRecords.chain(head.nextIndex(), entry, head.hash());
                try {
                    StreamEnd end = store.appendAt(STREAM, AuditRecords.line(record), head.position());
                    heads.put(tenant, new Head(record.index() + 1, record.hash(), end.position()));
                    LOG.info("audit {} #{} {} {} {} by {}", tenant, record.index(), record.action(), record.subject(),
                            record.outcome(), record.actor());
                    return record;
                } catch (StreamChangedException e) {
                    heads.put(tenant, new Head(-1, null, null));
                    // another replica appended: back off a random moment, growing, so that a replica that keeps
                    // losing the race to a busy one is not starved into "too much contention" (ReplicaKillIT's setup)
                    backOff(attempt);
                }
            }
        }
        throw new StoreException("could not append to the audit trail of " + tenant + ": too much contention");
    }

    private static void backOff(int attempt) {
        try {
            Thread.sleep(java.util.concurrent.ThreadLocalRandom.current().nextLong(1 + Math.min(50, 1L << Math.min(attempt, 6))));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StoreException("interrupted while appending to the audit trail", e);
        }
    }

    @Override
    public ChainVerification verify(String tenant) {
        Topic.requireTenantId(tenant);
        AtomicLong index = new AtomicLong();
        String[] expectedPrev = {AuditRecords.GENESIS};
        ChainVerification[] broken = {null};
        stores.tenant(tenant).forEach(STREAM, line -> {
            long i = index.getAndIncrement();
            if (broken[0] != null) {
                return;
            }
            try {
                AuditRecord record = AuditRecords.parse(line);
                if (record.index() != i) {
                    broken[0] = ChainVerification.brokenAt(0, i, "record says it is #" + record.index());
                } else if (!record.prev().equals(expectedPrev[0])) {
                    broken[0] = ChainVerification.brokenAt(0, i, "does not link to the record before it");
                }
                expectedPrev[0] = record.hash();
            } catch (AuditRecords.BrokenRecordException e) {
                broken[0] = ChainVerification.brokenAt(0, i, e.getMessage());
            }
        });
        long records = index.get();
        if (broken[0] != null) {
            return ChainVerification.brokenAt(records, broken[0].firstBrokenIndex(), broken[0].reason());
        }
        return ChainVerification.intact(records);
    }

    /** The newest records, oldest first, as stored (a broken one is left out). */
    public List<AuditRecord> recent(String tenant, int limit) {
        Topic.requireTenantId(tenant);
        List<AuditRecord> records = new ArrayList<>();
        for (byte[] line : stores.tenant(tenant).tail(STREAM, limit)) {
            try {
                records.add(AuditRecords.parse(line));
            } catch (AuditRecords.BrokenRecordException e) {
                // shown by verify, not here
            }
        }
        return records;
    }

    /**
     * What to look for in the trail; null fields do not filter.
     *
     * @param from   records at or after this time
     * @param to     records before this time
     * @param action the action exactly, or a dotted prefix of it ({@code user} finds {@code user.lock} and
     *               {@code user.sign-in}, not {@code users.x})
     * @param actor  the actor exactly (a user id, {@code system}, {@code platform:{user}})
     * @param before only records with an index below this one (the cursor of the next, older page)
     */
    public record Query(@Nullable Instant from, @Nullable Instant to, @Nullable String action, @Nullable String actor,
                        @Nullable Long before) {
        boolean matches(AuditRecord r) {
            return (before == null || r.index() < before)
                    && (from == null || !r.time().isBefore(from))
                    && (to == null || r.time().isBefore(to))
                    && (action == null || r.action().equals(action) || r.action().startsWith(action + "."))
                    && (actor == null || r.actor().equals(actor));
        }
    }

    /** The newest {@code limit} matching records (oldest first), and whether older matches remain. */
    public record Found(List<AuditRecord> records, boolean more) {
    }

    /**
     * The newest {@code limit} records that match, oldest first, read through the whole trail (no index: a trail is
     * read in one pass, as {@link #verify} does); a broken record is left out (verify reports it).
     */
    public Found search(String tenant, Query query, int limit) {
        Topic.requireTenantId(tenant);
        ArrayDeque<AuditRecord> newest = new ArrayDeque<>(limit + 1);
        boolean[] more = {false};
        stores.tenant(tenant).forEach(STREAM, line -> {
            AuditRecord record;
            try {
                record = AuditRecords.parse(line);
            } catch (AuditRecords.BrokenRecordException e) {
                return;
            }
            if (query.matches(record)) {
                newest.addLast(record);
                if (newest.size() > limit) {
                    newest.removeFirst();
                    more[0] = true;
                }
            }
        });
        return new Found(List.copyOf(newest), more[0]);
    }

    private static Head readHead(String tenant, TenantStore store) {
        StreamEnd end = store.end(STREAM);
        if (end.lastRecord().isEmpty()) {
            return new Head(0, AuditRecords.GENESIS, end.position());
        }
        byte[] last = end.lastRecord().get();
        try {
            AuditRecord record = AuditRecords.parse(last);
            return new Head(record.index() + 1, record.hash(), end.position());
        } catch (AuditRecords.BrokenRecordException e) {
            // Keep auditing: link to the damaged record's raw bytes; verify still reports the damage.
            LOG.error("the last audit record of {} is damaged ({}); chaining on from its raw bytes", tenant, e.getMessage());
            long[] count = {0};
            store.forEach(STREAM, line -> count[0]++);
            return new Head(count[0], AuditRecords.sha256(last), end.position());
        }
    }
}
