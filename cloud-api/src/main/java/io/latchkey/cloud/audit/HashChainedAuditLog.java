package io.latchkey.cloud.audit;

import io.latchkey.cloud.store.StoreException;
import io.latchkey.cloud.store.Stores;
import io.latchkey.cloud.store.StreamChangedException;
import io.latchkey.cloud.store.StreamEnd;
import io.latchkey.cloud.store.StreamRead;
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
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link AuditLog} in each tenant's own store, stream {@value #STREAM} (an append file, or append
 * blobs on Azure). Every record is appended with {@link TenantStore#appendAllAt} after the record it links
 * to, so two writers (threads or replicas) can never both chain onto the same record: the loser reads what
 * the winner appended ({@link TenantStore#since}) and links to the winner's last record.
 *
 * <p>Group commit: the entries of one tenant that arrive while an append is under way are chained and
 * appended together, as one write, by the thread whose turn comes next (at most {@value #MAX_BATCH} a
 * write); each caller still gets its own record back, or the failure, only once its record is stored. So
 * a tenant's trail takes as many entries per second as arrive, not one per store round trip: with the
 * Azure store a round trip is milliseconds, and with two replicas each conflict cost a re-read of the
 * stream's end, which made the trail the bound of bulk work (registering and enrolling a fleet of 10,000
 * cars, docs/benchmarks-scale.md).
 */
@Singleton
public class HashChainedAuditLog implements AuditLog {
    public static final String STREAM = "audit";
    private static final Logger LOG = LoggerFactory.getLogger(HashChainedAuditLog.class);
    private static final int MAX_ATTEMPTS = 50;
    /** Records per write: about 300 bytes each, so far below an append block (4 MiB). */
    static final int MAX_BATCH = 500;

    private final Stores stores;
    private final Map<String, Trail> trails = new ConcurrentHashMap<>();

    /** The record the next one links to, and where the stream ends after it. */
    private record Head(long nextIndex, String hash, String position) {
        static final Head UNKNOWN = new Head(-1, null, null);
    }

    /** A tenant's trail in this process: the entries waiting to be written, and the head (guarded by the trail). */
    private static final class Trail {
        final ConcurrentLinkedQueue<Waiting> queue = new ConcurrentLinkedQueue<>();
        Head head = Head.UNKNOWN;
    }

    /** One caller's entry; its outcome is set and read under the trail's lock. */
    private static final class Waiting {
        final AuditEntry entry;
        AuditRecord record;
        RuntimeException failure;

        Waiting(AuditEntry entry) {
            this.entry = entry;
        }

        boolean done() {
            return record != null || failure != null;
        }
    }

    public HashChainedAuditLog(Stores stores) {
        this.stores = stores;
    }

    @Override
    public AuditRecord append(String tenant, AuditEntry entry) {
        return appendAll(tenant, List.of(entry)).get(0);
    }

    /** The entries go into the queue together, so they are written in as few appends as {@value #MAX_BATCH} allows. */
    @Override
    public List<AuditRecord> appendAll(String tenant, List<AuditEntry> entries) {
        Topic.requireTenantId(tenant);
        Trail trail = trails.computeIfAbsent(tenant, t -> new Trail());
        List<Waiting> mine = entries.stream().map(Waiting::new).toList();
        trail.queue.addAll(mine);
        synchronized (trail) {
            List<AuditRecord> records = new ArrayList<>(mine.size());
            for (Waiting w : mine) {
                while (!w.done()) {
                    writeQueued(tenant, trail);
                }
                if (w.failure != null) {
                    throw new StoreException("could not append to the audit trail of " + tenant + ": " + w.failure.getMessage(),
                            w.failure);
                }
                records.add(w.record);
            }
            return records;
        }
    }

    /** Writes the oldest waiting entries (at most {@value #MAX_BATCH}) as one append; called holding the trail. */
    private void writeQueued(String tenant, Trail trail) {
        List<Waiting> batch = new ArrayList<>();
        for (Waiting w; batch.size() < MAX_BATCH && (w = trail.queue.poll()) != null; ) {
            batch.add(w);
        }
        if (batch.isEmpty()) {
            return;
        }
        TenantStore store = stores.tenant(tenant);
        try {
            for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
                if (trail.head.position() == null) {
                    trail.head = readHead(tenant, store);
                }
                Head head = trail.head;
                List<AuditRecord> records = new ArrayList<>(batch.size());
                List<byte[]> lines = new ArrayList<>(batch.size());
                String prev = head.hash();
                for (Waiting w : batch) {
                    AuditRecord record = AuditRecords.chain(head.nextIndex() + records.size(), w.entry, prev);
                    records.add(record);
                    lines.add(AuditRecords.line(record));
                    prev = record.hash();
                }
                try {
                    StreamEnd end = store.appendAllAt(STREAM, lines, head.position());
                    AuditRecord last = records.get(records.size() - 1);
                    trail.head = new Head(last.index() + 1, last.hash(), end.position());
                    for (int i = 0; i < batch.size(); i++) {
                        AuditRecord record = records.get(i);
                        batch.get(i).record = record;
                        LOG.info("audit {} #{} {} {} {} by {}", tenant, record.index(), record.action(), record.subject(),
                                record.outcome(), record.actor());
                    }
                    return;
                } catch (StreamChangedException e) {
                    // another replica appended: back off a random moment, growing, so that a replica that keeps
                    // losing the race to a busy one is not starved into "too much contention" (ReplicaKillIT's setup);
                    // then read what it appended and chain on after it
                    backOff(attempt);
                    trail.head = catchUp(store, head);
                }
            }
            fail(batch, new StoreException("too much contention"));
        } catch (RuntimeException e) {
            // The append may or may not have been stored (a time-out): read the end again next time.
            trail.head = Head.UNKNOWN;
            fail(batch, e);
        }
    }

    private static void fail(List<Waiting> batch, RuntimeException e) {
        batch.forEach(w -> w.failure = e);
    }

    /**
     * The head after what other writers appended since {@code head}: read from where this writer's own knowledge
     * ends (on Azure a listing, a HEAD and a ranged read, instead of the whole tail of {@link #readHead}); unknown
     * (read the end anew) if the last record read is damaged.
     */
    private static Head catchUp(TenantStore store, Head head) {
        StreamRead read;
        try {
            read = store.since(STREAM, head.position());
        } catch (IllegalArgumentException e) {
            return Head.UNKNOWN; // the stream is shorter than this writer knew it (restored): read its end
        }
        if (read.records().isEmpty()) {
            return new Head(head.nextIndex(), head.hash(), read.position());
        }
        byte[] last = read.records().get(read.records().size() - 1);
        try {
            AuditRecord record = AuditRecords.parse(last);
            if (record.index() != head.nextIndex() + read.records().size() - 1) {
                return Head.UNKNOWN;
            }
            return new Head(record.index() + 1, record.hash(), read.position());
        } catch (AuditRecords.BrokenRecordException e) {
            return Head.UNKNOWN;
        }
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
