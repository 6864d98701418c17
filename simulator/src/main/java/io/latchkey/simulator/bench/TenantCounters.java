package io.latchkey.simulator.bench;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The bench's tenants' stores as one: counts are summed over every tenant's {@link RecordCounter} (each its own
 * storage account, on Azurite its own process), a mark is a mark in each, and a device's sequence numbers are read
 * from its own tenant's store only. With one tenant it says what that tenant's counter says.
 */
final class TenantCounters implements RecordCounter {
    private final Map<String, RecordCounter> byTenant;
    private final Map<String, String> tenantOfDevice;
    /** Per mark of this counter: the mark of each tenant's counter, in tenant order. */
    private final List<long[]> marks = new ArrayList<>();

    /**
     * @param byTenant       each tenant's counter
     * @param tenantOfDevice each device's tenant
     */
    TenantCounters(Map<String, RecordCounter> byTenant, Map<String, String> tenantOfDevice) {
        if (byTenant.isEmpty()) {
            throw new IllegalArgumentException("no tenant to count");
        }
        this.byTenant = new LinkedHashMap<>(byTenant);
        this.tenantOfDevice = Map.copyOf(tenantOfDevice);
    }

    @Override
    public long count() {
        return byTenant.values().stream().mapToLong(RecordCounter::count).sum();
    }

    @Override
    public synchronized long mark() {
        marks.add(byTenant.values().stream().mapToLong(RecordCounter::mark).toArray());
        return marks.size() - 1;
    }

    @Override
    public synchronized long[] countsAt(long[] at) {
        long[] sums = new long[at.length];
        int t = 0;
        for (RecordCounter counter : byTenant.values()) {
            long[] own = new long[at.length];
            for (int i = 0; i < at.length; i++) {
                own[i] = marks.get((int) at[i])[t];
            }
            long[] counts = counter.countsAt(own);
            for (int i = 0; i < at.length; i++) {
                // a mark one tenant's store could not be listed for is not known as a whole
                sums[i] = sums[i] < 0 || counts[i] < 0 ? -1 : sums[i] + counts[i];
            }
            t++;
        }
        return sums;
    }

    @Override
    public List<Long> seqs(String deviceId) throws IOException {
        return tenant(deviceId).seqs(deviceId);
    }

    /** The store of a device's tenant. */
    private RecordCounter tenant(String deviceId) {
        String tenant = tenantOfDevice.get(deviceId);
        if (tenant == null) {
            throw new IllegalArgumentException("not a device of the bench's tenants: " + deviceId);
        }
        return byTenant.get(tenant);
    }

    /** The tenant of a device of the bench. */
    String tenantOf(String deviceId) {
        return tenantOfDevice.get(deviceId);
    }
}
