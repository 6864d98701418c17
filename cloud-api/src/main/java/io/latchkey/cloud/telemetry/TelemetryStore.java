package io.latchkey.cloud.telemetry;

import io.latchkey.cloud.store.StoreJson;
import io.latchkey.cloud.store.Stores;
import io.latchkey.cloud.store.TenantStore;
import io.latchkey.protocol.telemetry.TelemetryRecord;
import jakarta.inject.Singleton;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Telemetry of each device in an append-only stream {@code telemetry-{deviceId}} of the tenant's store
 * (JSON lines). Each (device, seq) is stored once: the sequence numbers already stored are rebuilt from
 * the stream on first use and checked before every append.
 */
@Singleton
public class TelemetryStore {
    private final Stores stores;
    private final Map<String, SeqSet> ledgers = new ConcurrentHashMap<>();

    public TelemetryStore(Stores stores) {
        this.stores = stores;
    }

    /**
     * Appends the record unless its seq is already stored. Callers serialise calls per device.
     *
     * @return whether it was new
     */
    public boolean append(String tenant, String deviceId, TelemetryRecord record) {
        if (record.seq() < 1) {
            throw new IllegalArgumentException("seq must be at least 1");
        }
        SeqSet seen = ledger(tenant, deviceId);
        synchronized (seen) {
            if (seen.contains(record.seq())) {
                return false;
            }
            stores.tenant(tenant).append(stream(deviceId), StoreJson.write(record));
            seen.add(record.seq());
            return true;
        }
    }

    /** The last {@code limit} records in storage order. */
    public List<TelemetryRecord> recent(String tenant, String deviceId, int limit) {
        List<TelemetryRecord> records = new ArrayList<>();
        for (byte[] line : stores.tenant(tenant).tail(stream(deviceId), limit)) {
            records.add(StoreJson.read(line, TelemetryRecord.class));
        }
        return records;
    }

    private SeqSet ledger(String tenant, String deviceId) {
        return ledgers.computeIfAbsent(tenant + "/" + deviceId, k -> {
            SeqSet seqs = new SeqSet();
            TenantStore store = stores.tenant(tenant);
            store.forEach(stream(deviceId), line -> {
                try {
                    seqs.add(StoreJson.read(line, TelemetryRecord.class).seq());
                } catch (RuntimeException e) {
                    // a torn last line from a crash: that record was never acknowledged, the device resends it
                }
            });
            return seqs;
        });
    }

    private static String stream(String deviceId) {
        return "telemetry-" + deviceId;
    }
}
