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
    void delete_removesTheDocument_andALaterCreateStartsAfresh() {
        store.create("emails", "e-1", bytes("{\"userId\":\"u-1\"}"));
        store.delete("emails", "e-1");
        assertThat(store.read("emails", "e-1")).isEmpty();
        assertThat(store.list("emails")).doesNotContain("e-1");
        store.delete("emails", "e-1");
        store.create("emails", "e-1", bytes("again"));
        assertThat(text(store.read("emails", "e-1").orElseThrow().value())).isEqualTo("again");
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
    void collectionsAndStreams_areListedByName_onceTheyHoldSomething() {
        assertThat(store.collections()).isEmpty();
        assertThat(store.streams()).isEmpty();
        store.create("users", "u", bytes("1"));
        store.create("cars", "c", bytes("2"));
        store.append("telemetry-dev-1", bytes("{}"));
        store.append("audit", bytes("{}"));
        assertThat(store.collections()).containsExactly("cars", "users");
        assertThat(store.streams()).containsExactly("audit", "telemetry-dev-1");
    }

    @Test
    void end_ofAnUnknownStream_hasNoRecord() {
        StreamEnd end = store.end("audit");
        assertThat(end.lastRecord()).isEmpty();
    }

    @Test
    void appendAt_theCurrentEnd_appends_andReturnsTheNewEnd() {
        StreamEnd first = store.appendAt("audit", bytes("{\"n\":1}"), store.end("audit").position());
        StreamEnd second = store.appendAt("audit", bytes("{\"n\":2}"), first.position());
        assertThat(text(second.lastRecord().orElseThrow())).isEqualTo("{\"n\":2}");
        StreamEnd read = store.end("audit");
        assertThat(text(read.lastRecord().orElseThrow())).isEqualTo("{\"n\":2}");
        assertThat(read.position()).isEqualTo(second.position());
        assertThat(store.tail("audit", 10).stream().map(TenantStoreContract::text)).containsExactly("{\"n\":1}", "{\"n\":2}");
    }

    @Test
    void appendAt_aStaleEnd_isRefused_andAppendsNothing() {
        String empty = store.end("audit").position();
        store.appendAt("audit", bytes("{\"n\":1}"), empty);
        assertThatThrownBy(() -> store.appendAt("audit", bytes("{\"n\":\"late\"}"), empty))
                .isInstanceOf(StreamChangedException.class);
        assertThat(store.tail("audit", 10).stream().map(TenantStoreContract::text)).containsExactly("{\"n\":1}");
    }

    @Test
    void concurrentAppendAt_chainsEveryRecordExactlyOnce() throws Exception {
        int threads = 4;
        int perThread = 10;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                futures.add(pool.submit(() -> {
                    for (int i = 0; i < perThread; i++) {
                        while (true) {
                            StreamEnd end = store.end("chain");
                            int next = end.lastRecord().map(r -> Integer.parseInt(text(r)) + 1).orElse(1);
                            try {
                                store.appendAt("chain", bytes(Integer.toString(next)), end.position());
                                break;
                            } catch (StreamChangedException retry) {
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
        List<String> all = new ArrayList<>();
        store.forEach("chain", r -> all.add(text(r)));
        List<String> expected = new ArrayList<>();
        for (int i = 1; i <= threads * perThread; i++) {
            expected.add(Integer.toString(i));
        }
        assertThat(all).isEqualTo(expected);
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
