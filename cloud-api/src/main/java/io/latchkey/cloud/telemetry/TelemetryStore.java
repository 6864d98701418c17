package io.latchkey.cloud.telemetry;

import io.latchkey.cloud.store.StoreJson;
import io.latchkey.cloud.store.Stores;
import io.latchkey.cloud.store.StreamChangedException;
import io.latchkey.cloud.store.StreamRead;
import io.latchkey.cloud.store.TenantStore;
import io.latchkey.protocol.telemetry.TelemetryRecord;
import jakarta.inject.Singleton;
import io.micronaut.core.annotation.Nullable;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Telemetry of each device in an append-only stream {@code telemetry-{deviceId}} of the tenant's store
 * (JSON lines). Each (device, seq) is stored once, also when several replicas ingest the same device
 * (shared subscriptions hand each message to any one of them): a replica keeps the sequence numbers stored
 * up to a stream position it has read, rebuilt from the stream on first use, and appends a batch only at
 * that position ({@link TenantStore#appendAllAt}, one group commit). If another replica appended since, the
 * append is refused; this one reads what was appended after its position ({@link TenantStore#since}),
 * drops the seqs now stored, and tries again.
 */
@Singleton
public class TelemetryStore {
    private final Stores stores;
    /** Conditional appends refused in a row before the batch fails (the device resends it later). */
    static final int MAX_ATTEMPTS = 20;

    private final Map<String, Ledger> ledgers = new ConcurrentHashMap<>();

    public TelemetryStore(Stores stores) {
        this.stores = stores;
    }

    /**
     * Appends the record unless its seq is already stored. Callers serialise calls per device.
     *
     * @return whether it was new
     */
    public boolean append(String tenant, String deviceId, TelemetryRecord record) {
        return !appendNew(tenant, deviceId, List.of(record)).isEmpty();
    }

    /**
     * Appends, in seq order and with one {@link TenantStore#appendAll}, the records whose seq is not
     * stored yet; of several records with the same seq only the first in the list counts. Callers
     * serialise calls per device. If the store fails, nothing is marked as stored and the device's
     * resend is taken as new.
     *
     * @return the records stored now, in seq order (empty if all were duplicates)
     * @throws IllegalArgumentException if a seq is below 1 (then nothing is stored)
     */
    public List<TelemetryRecord> appendNew(String tenant, String deviceId, List<TelemetryRecord> records) {
        return store(tenant, deviceId, records).stored();
    }

    /**
     * What {@link #store} did: the records stored now (in seq order, empty if all were duplicates), and the records of the
     * device that other writers (the other replica) appended since this replica's last append or catch-up, read by
     * this call's catch-ups (in stream order; empty when nothing was appended in between or this replica just read
     * the whole stream). The latter are the car's batches that went elsewhere: with them ingestion knows what another
     * replica may have applied to the car's state and trip progress since this replica last did.
     */
    public record Stored(List<TelemetryRecord> stored, List<TelemetryRecord> appendedByOthers) {
    }

    /** {@link #appendNew}, also returning what other writers appended in between ({@link Stored}). */
    public Stored store(String tenant, String deviceId, List<TelemetryRecord> records) {
        for (TelemetryRecord record : records) {
            if (record.seq() < 1) {
                throw new IllegalArgumentException("seq must be at least 1");
            }
        }
        if (records.isEmpty()) {
            return new Stored(List.of(), List.of());
        }
        List<TelemetryRecord> bySeq = records.stream().sorted(Comparator.comparingLong(TelemetryRecord::seq)).toList();
        TenantStore store = stores.tenant(tenant);
        Ledger ledger = ledger(tenant, deviceId);
        synchronized (ledger) {
            List<TelemetryRecord> others = new ArrayList<>();
            for (int attempt = 1; ; attempt++) {
                List<TelemetryRecord> fresh = new ArrayList<>(bySeq.size());
                List<byte[]> lines = new ArrayList<>(bySeq.size());
                long previous = 0;
                for (TelemetryRecord record : bySeq) {
                    if (record.seq() != previous && !ledger.seqs.contains(record.seq())) {
                        fresh.add(record);
                        lines.add(StoreJson.write(record));
                    }
                    previous = record.seq();
                }
                if (fresh.isEmpty()) {
                    return new Stored(List.of(), List.copyOf(others));
                }
                try {
                    ledger.position = store.appendAllAt(stream(deviceId), lines, ledger.position).position();
                    fresh.forEach(record -> ledger.seqs.add(record.seq()));
                    return new Stored(List.copyOf(fresh), List.copyOf(others));
                } catch (StreamChangedException e) {
                    if (attempt == MAX_ATTEMPTS) {
                        throw e;
                    }
                    others.addAll(catchUp(store, deviceId, ledger));
                }
            }
        }
    }

    /**
     * The highest seq stored for the device, 0 if none: the high-water mark new seqs are bounded by. As far as
     * this replica has read the stream: another replica's newer records raise it at the next conflict.
     */
    public long highestSeq(String tenant, String deviceId) {
        Ledger ledger = ledger(tenant, deviceId);
        synchronized (ledger) {
            return ledger.seqs.highest();
        }
    }

    /** The last {@code limit} records in storage order (fewer if a torn line is among them). */
    public List<TelemetryRecord> recent(String tenant, String deviceId, int limit) {
        List<TelemetryRecord> records = new ArrayList<>();
        for (byte[] line : stores.tenant(tenant).tail(stream(deviceId), limit)) {
            readable(line).ifPresent(records::add);
        }
        return records;
    }

    /**
     * The last {@code limit} records whose {@code time} (the device's clock) lies in {@code [from, to)}, in storage
     * order (oldest first); either bound may be null (open). Reads the device's whole stream, as {@link #recent}
     * does with the file store. A record without a time is left out of a bounded window.
     */
    public List<TelemetryRecord> window(String tenant, String deviceId, @Nullable Instant from, @Nullable Instant to, int limit) {
        if (from == null && to == null) {
            return recent(tenant, deviceId, limit);
        }
        Deque<TelemetryRecord> last = new ArrayDeque<>(Math.min(limit, 1024));
        stores.tenant(tenant).forEach(stream(deviceId), line -> readable(line).ifPresent(r -> {
            if (r.time() == null || from != null && r.time().isBefore(from) || to != null && !r.time().isBefore(to)) {
                return;
            }
            if (last.size() == limit) {
                last.removeFirst();
            }
            last.addLast(r);
        }));
        return new ArrayList<>(last);
    }

    private Ledger ledger(String tenant, String deviceId) {
        return ledgers.computeIfAbsent(tenant + "/" + deviceId, k -> {
            // the whole stream and where it ends, in one pass (on Azure a listing and a read per segment: 2 requests
            // for a car's first batch on this replica, where the end and then every record took 6)
            TenantStore store = stores.tenant(tenant);
            Ledger ledger = new Ledger();
            StreamRead all = store.since(stream(deviceId), store.start());
            all.records().forEach(line -> readable(line).ifPresent(record -> ledger.seqs.add(record.seq())));
            ledger.position = all.position();
            return ledger;
        });
    }

    /** Adds the seqs appended after the ledger's position, by this replica or another, and moves the position. */
    private static List<TelemetryRecord> catchUp(TenantStore store, String deviceId, Ledger ledger) {
        StreamRead read = store.since(stream(deviceId), ledger.position);
        List<TelemetryRecord> appended = new ArrayList<>(read.records().size());
        read.records().forEach(line -> readable(line).ifPresent(appended::add));
        appended.forEach(record -> ledger.seqs.add(record.seq()));
        ledger.position = read.position();
        return appended;
    }

    /** The seqs stored in a device's stream up to {@code position}, which is where this replica appends next. */
    private static final class Ledger {
        final SeqSet seqs = new SeqSet();
        String position;
    }

    private static Optional<TelemetryRecord> readable(byte[] line) {
        try {
            return Optional.of(StoreJson.read(line, TelemetryRecord.class));
        } catch (RuntimeException e) {
            // a torn line from a crash: that record was never acknowledged, the device resends it
            return Optional.empty();
        }
    }

    private static String stream(String deviceId) {
        return "telemetry-" + deviceId;
    }
}
