package io.latchkey.cloud.device;

import io.latchkey.cloud.audit.AuditEntry;
import io.latchkey.cloud.audit.Auditor;
import io.latchkey.cloud.store.StoreJson;
import io.latchkey.cloud.store.Stores;
import jakarta.inject.Singleton;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Who issued, revoked or verified which device certificate: appended to the tenant's
 * {@code device-identity} stream (append-only), to the tenant's hash-chained audit trail (a device
 * identity is as business-critical as an unlock), and logged. Never holds key material.
 */
@Singleton
public class DeviceIdentityLog {
    static final String STREAM = "device-identity";
    private static final Logger LOG = LoggerFactory.getLogger(DeviceIdentityLog.class);

    private final Stores stores;
    private final Auditor auditor;

    public DeviceIdentityLog(Stores stores, Auditor auditor) {
        this.stores = stores;
        this.auditor = auditor;
    }

    void record(String tenant, Instant at, String action, String by, String deviceId, String carId, String serial, String detail) {
        record(tenant, at, action, by, deviceId, carId, serial, detail, AuditEntry.OK);
    }

    /** ... with the audit outcome ({@code OK}, or {@code REFUSED} for a renewal the backend turned down). */
    void record(String tenant, Instant at, String action, String by, String deviceId, String carId, String serial, String detail,
                String outcome) {
        Map<String, Object> entry = new LinkedHashMap<>();
        entry.put("at", at.toString());
        entry.put("action", action);
        entry.put("by", by);
        entry.put("deviceId", deviceId);
        entry.put("carId", carId);
        entry.put("serial", serial);
        if (!AuditEntry.OK.equals(outcome)) {
            entry.put("outcome", outcome);
        }
        if (detail != null) {
            entry.put("detail", detail);
        }
        stores.tenant(tenant).append(STREAM, StoreJson.write(entry));
        auditor.record(tenant, by, "device." + action, "device/" + deviceId + " car/" + carId + " serial/" + serial
                + (detail == null ? "" : " (" + detail + ")"), outcome);
        LOG.info("device identity {}: tenant {} device {} car {} serial {} by {}{}", action, tenant, deviceId, carId, serial, by,
                detail == null ? "" : " (" + detail + ")");
    }
}
