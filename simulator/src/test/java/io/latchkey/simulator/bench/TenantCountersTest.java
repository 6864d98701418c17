package io.latchkey.simulator.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TenantCountersTest {
    /** A store whose records are set by the test; marks are indices, as on Azurite. */
    private static final class FakeStore implements RecordCounter {
        long records;
        final List<Long> marks = new ArrayList<>();
        final Map<String, List<Long>> seqs = new LinkedHashMap<>();
        boolean unlistable;

        @Override
        public long count() {
            return records;
        }

        @Override
        public long mark() {
            marks.add(unlistable ? -1 : records);
            return marks.size() - 1;
        }

        @Override
        public long[] countsAt(long[] at) {
            long[] c = new long[at.length];
            for (int i = 0; i < at.length; i++) {
                c[i] = marks.get((int) at[i]);
            }
            return c;
        }

        @Override
        public List<Long> seqs(String deviceId) {
            return seqs.getOrDefault(deviceId, List.of());
        }
    }

    @Test
    void countsAndMarks_areSummedOverTheTenants_andADeviceIsReadInItsOwnTenantsStore() throws Exception {
        FakeStore a = new FakeStore();
        FakeStore b = new FakeStore();
        a.seqs.put("bench-dev-1", List.of(1L, 2L));
        b.seqs.put("bench-2-dev-1", List.of(7L));
        Map<String, RecordCounter> byTenant = new LinkedHashMap<>();
        byTenant.put("bench", a);
        byTenant.put("bench-2", b);
        TenantCounters all = new TenantCounters(byTenant, Map.of("bench-dev-1", "bench", "bench-2-dev-1", "bench-2"));

        a.records = 3;
        b.records = 5;
        long first = all.mark();
        a.records = 10;
        long second = all.mark();
        b.records = 20;
        assertThat(all.count()).isEqualTo(30);
        assertThat(all.countsAt(new long[] {first, second})).containsExactly(8, 15);

        assertThat(all.seqs("bench-dev-1")).containsExactly(1L, 2L);
        assertThat(all.seqs("bench-2-dev-1")).containsExactly(7L);
        assertThat(all.tenantOf("bench-2-dev-1")).isEqualTo("bench-2");
        assertThatThrownBy(() -> all.seqs("other-dev-1")).isInstanceOf(IllegalArgumentException.class);

        b.unlistable = true;
        long third = all.mark();
        assertThat(all.countsAt(new long[] {third})).containsExactly(-1);
    }

    @Test
    void theBenchsTenants_keepBenchFirst_andSplitTheCarsEvenly() {
        assertThat(FleetBench.tenants(1)).containsExactly("bench");
        assertThat(FleetBench.tenants(4)).containsExactly("bench", "bench-2", "bench-3", "bench-4");
        assertThatThrownBy(() -> FleetBench.tenants(0)).hasMessageContaining("--tenants");
        assertThat(FleetBench.split(10_000, 4)).containsExactly(2_500, 2_500, 2_500, 2_500);
        assertThat(FleetBench.split(10, 4)).containsExactly(3, 3, 2, 2);
        assertThat(FleetBench.split(7, 1)).containsExactly(7);
        assertThatThrownBy(() -> FleetBench.split(3, 4)).hasMessageContaining("cannot be split");
        // each tenant's own Azurite account: distinct names Azure allows
        assertThat(FleetBench.tenants(12).stream().map(Deployment::account).distinct()).hasSize(12)
                .allMatch(n -> n.matches("[a-z0-9]{3,24}"));
    }
}
