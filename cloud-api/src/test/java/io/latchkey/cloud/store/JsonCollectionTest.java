package io.latchkey.cloud.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JsonCollectionTest {
    record Counter(int n) {
    }

    @TempDir
    Path dir;

    @Test
    void upsert_createsThenChanges() {
        JsonCollection<Counter> counters = new JsonCollection<>(new FileTenantStore(dir), "counters", Counter.class);
        assertThat(counters.upsert("c", new Counter(0), c -> new Counter(c.n() + 1))).isEqualTo(new Counter(1));
        assertThat(counters.upsert("c", new Counter(0), c -> new Counter(c.n() + 1))).isEqualTo(new Counter(2));
        assertThat(counters.get("c")).contains(new Counter(2));
        assertThat(counters.all()).containsExactly(new Counter(2));
    }

    @Test
    void upsert_letsADomainRefusalThrough_andWritesNothing() {
        JsonCollection<Counter> counters = new JsonCollection<>(new FileTenantStore(dir), "counters", Counter.class);
        counters.create("c", new Counter(5));
        assertThatThrownBy(() -> counters.upsert("c", new Counter(0), c -> {
            throw new IllegalStateException("no");
        })).hasMessage("no");
        assertThat(counters.get("c")).contains(new Counter(5));
    }
}
