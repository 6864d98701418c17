package io.latchkey.cloud.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every {@link TenantStore} must do. {@link FileTenantStoreTest} runs it on a directory; the Azure
 * Blob store (issue 4) runs it against Azurite.
 */
public abstract class TenantStoreContract {
    protected TenantStore store;

    /** A fresh, empty store. */
    protected abstract TenantStore newStore() throws Exception;

    @BeforeEach
    void createStore() throws Exception {
        store = newStore();
    }

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static String text(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }

    @Test
    void create_thenRead_returnsTheBytesAndTheirVersion() {
        String version = store.create("cars", "car-1", bytes("{\"a\":1}"));
        Versioned<byte[]> read = store.read("cars", "car-1").orElseThrow();
        assertThat(text(read.value())).isEqualTo("{\"a\":1}");
        assertThat(read.version()).isEqualTo(version);
    }

    @Test
    void read_ofUnknownDocument_isEmpty() {
        assertThat(store.read("cars", "nope")).isEmpty();
        assertThat(store.read("never-used", "nope")).isEmpty();
    }

    @Test
    void create_twice_isRefused_andKeepsTheFirst() {
        store.create("cars", "car-1", bytes("first"));
        assertThatThrownBy(() -> store.create("cars", "car-1", bytes("second"))).isInstanceOf(DocumentExistsException.class);
        assertThat(text(store.read("cars", "car-1").orElseThrow().value())).isEqualTo("first");
    }

    @Test
    void replace_withTheCurrentVersion_writes_andChangesTheVersion() {
        String v1 = store.create("cars", "car-1", bytes("one"));
        String v2 = store.replace("cars", "car-1", bytes("two"), v1);
        assertThat(v2).isNotEqualTo(v1);
        assertThat(text(store.read("cars", "car-1").orElseThrow().value())).isEqualTo("two");
    }

    @Test
    void replace_withAStaleVersion_isRefused() {
        String v1 = store.create("cars", "car-1", bytes("one"));
        store.replace("cars", "car-1", bytes("two"), v1);
        assertThatThrownBy(() -> store.replace("cars", "car-1", bytes("three"), v1))
                .isInstanceOf(VersionConflictException.class);
        assertThat(text(store.read("cars", "car-1").orElseThrow().value())).isEqualTo("two");
    }

    @Test
    void replace_ofAMissingDocument_isRefused() {
        assertThatThrownBy(() -> store.replace("cars", "ghost", bytes("x"), "\"whatever\""))
                .isInstanceOf(VersionConflictException.class);
        assertThat(store.read("cars", "ghost")).isEmpty();
    }

    @Test
    void list_returnsIdsSorted_perCollection() {
        store.create("cars", "b", bytes("1"));
        store.create("cars", "a", bytes("2"));
        store.create("users", "u", bytes("3"));
        assertThat(store.list("cars")).containsExactly("a", "b");
        assertThat(store.list("users")).containsExactly("u");
        assertThat(store.list("empty")).isEmpty();
    }

    @Test
    void namesThatCouldEscapeTheirCollection_areRefused() {
        for (String bad : List.of("../x", "a/b", "", ".hidden", "a\\b", "x..y")) {
            assertThatThrownBy(() -> store.create("cars", bad, bytes("x"))).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> store.read(bad, "id")).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> store.append(bad, bytes("x"))).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void stream_keepsRecordsInAppendOrder() {
        for (int i = 1; i <= 5; i++) {
            store.append("telemetry-dev-1", bytes("{\"seq\":" + i + "}"));
        }
        List<String> all = new ArrayList<>();
        store.forEach("telemetry-dev-1", r -> all.add(text(r)));
        assertThat(all).containsExactly("{\"seq\":1}", "{\"seq\":2}", "{\"seq\":3}", "{\"seq\":4}", "{\"seq\":5}");
        assertThat(store.tail("telemetry-dev-1", 2).stream().map(TenantStoreContract::text))
                .containsExactly("{\"seq\":4}", "{\"seq\":5}");
        assertThat(store.tail("telemetry-dev-1", 50)).hasSize(5);
    }

    @Test
    void unknownStream_hasNoRecords() {
        assertThat(store.tail("nothing", 10)).isEmpty();
        List<byte[]> seen = new ArrayList<>();
        store.forEach("nothing", seen::add);
        assertThat(seen).isEmpty();
    }

    @Test
    void streamRecords_mustBeOneLine() {
        assertThatThrownBy(() -> store.append("s", bytes("a\nb"))).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void concurrentConditionalWrites_loseNoUpdate() throws Exception {
        store.create("counters", "c", bytes("0"));
        int threads = 4;
        int perThread = 25;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                futures.add(pool.submit(() -> {
                    for (int i = 0; i < perThread; i++) {
                        while (true) {
                            Versioned<byte[]> current = store.read("counters", "c").orElseThrow();
                            int next = Integer.parseInt(text(current.value())) + 1;
                            try {
                                store.replace("counters", "c", bytes(Integer.toString(next)), current.version());
                                break;
                            } catch (VersionConflictException retry) {
                                Thread.onSpinWait();
                            }
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : futures) {
                f.get(60, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(text(store.read("counters", "c").orElseThrow().value())).isEqualTo(Integer.toString(threads * perThread));
    }
}
