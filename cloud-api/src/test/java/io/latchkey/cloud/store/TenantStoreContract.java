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

    protected static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    protected static String text(byte[] b) {
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
        for (String bad : List.of("../x", "..", "a/b", "", ".hidden", "a\\b", "x..y", "a\u0000b", "a".repeat(129))) {
            assertThatThrownBy(() -> store.create("cars", bad, bytes("x"))).isInstanceOf(InvalidNameException.class);
            assertThatThrownBy(() -> store.read(bad, "id")).isInstanceOf(InvalidNameException.class);
            assertThatThrownBy(() -> store.append(bad, bytes("x"))).isInstanceOf(InvalidNameException.class);
            assertThatThrownBy(() -> store.appendAll(bad, List.of(bytes("x")))).isInstanceOf(InvalidNameException.class);
            assertThatThrownBy(() -> store.read("cars", bad)).isInstanceOf(InvalidNameException.class);
            assertThatThrownBy(() -> store.delete("cars", bad)).isInstanceOf(InvalidNameException.class);
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
    void appendAll_keepsTheBatchInListOrder() {
        store.appendAll("telemetry-dev-1", records("{\"seq\":%d}", 1, 5));
        assertThat(all("telemetry-dev-1")).containsExactly("{\"seq\":1}", "{\"seq\":2}", "{\"seq\":3}", "{\"seq\":4}",
                "{\"seq\":5}");
        assertThat(store.tail("telemetry-dev-1", 2).stream().map(TenantStoreContract::text))
                .containsExactly("{\"seq\":4}", "{\"seq\":5}");
    }

    @Test
    void appendAll_andAppend_interleaveInCallOrder() {
        store.append("log", bytes("a"));
        store.appendAll("log", List.of(bytes("b"), bytes("c"), bytes("d")));
        store.append("log", bytes("e"));
        store.appendAll("log", List.of(bytes("f")));
        store.appendAll("log", List.of(bytes("g"), bytes("h")));
        assertThat(all("log")).containsExactly("a", "b", "c", "d", "e", "f", "g", "h");
    }

    @Test
    void appendAll_ofAnEmptyList_writesNothing() {
        store.appendAll("fresh", List.of());
        assertThat(store.streams()).isEmpty();
        assertThat(all("fresh")).isEmpty();

        store.append("log", bytes("a"));
        StreamEnd before = store.end("log");
        store.appendAll("log", List.of());
        assertThat(store.end("log").position()).isEqualTo(before.position());
        assertThat(all("log")).containsExactly("a");
    }

    @Test
    void appendAll_withOneBadRecord_isRefused_andWritesNothing() {
        store.append("log", bytes("a"));
        StreamEnd before = store.end("log");
        for (String bad : List.of("x\ny", "x\ry", "\n")) {
            assertThatThrownBy(() -> store.appendAll("log", List.of(bytes("b"), bytes(bad), bytes("c"))))
                    .isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> store.appendAll("fresh", List.of(bytes("b"), bytes(bad))))
                    .isInstanceOf(IllegalArgumentException.class);
        }
        assertThat(all("log")).containsExactly("a");
        assertThat(store.end("log").position()).isEqualTo(before.position());
        assertThat(all("fresh")).isEmpty();
        assertThat(store.streams()).containsExactly("log");
    }

    @Test
    void appendAll_ofALargeBatch_keepsEveryRecordInOrder() {
        store.append("log", bytes("{\"seq\":0}"));
        store.appendAll("log", records("{\"seq\":%d}", 1, 300));
        store.append("log", bytes("{\"seq\":301}"));
        List<String> expected = new ArrayList<>();
        for (int i = 0; i <= 301; i++) {
            expected.add("{\"seq\":" + i + "}");
        }
        assertThat(all("log")).isEqualTo(expected);
        assertThat(store.tail("log", 3).stream().map(TenantStoreContract::text))
                .containsExactly("{\"seq\":299}", "{\"seq\":300}", "{\"seq\":301}");
        assertThat(text(store.end("log").lastRecord().orElseThrow())).isEqualTo("{\"seq\":301}");
    }

    @Test
    void appendAt_afterAppendAll_chainsOntoTheBatchsLastRecord() {
        store.appendAll("audit", List.of(bytes("1"), bytes("2")));
        StreamEnd end = store.end("audit");
        assertThat(text(end.lastRecord().orElseThrow())).isEqualTo("2");
        store.appendAt("audit", bytes("3"), end.position());
        assertThatThrownBy(() -> store.appendAt("audit", bytes("late"), end.position()))
                .isInstanceOf(StreamChangedException.class);
        assertThat(all("audit")).containsExactly("1", "2", "3");
    }

    @Test
    void concurrentAppendAll_losesNothing_andKeepsEachWritersOrder() throws Exception {
        int threads = 4;
        int batches = 10;
        int perBatch = 5;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                String writer = "w" + t + "-%d";
                futures.add(pool.submit(() -> {
                    for (int b = 0; b < batches; b++) {
                        store.appendAll("shared", records(writer, b * perBatch, b * perBatch + perBatch - 1));
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
        List<String> stored = all("shared");
        assertThat(stored).hasSize(threads * batches * perBatch).doesNotHaveDuplicates();
        for (int n = 0; n < threads; n++) {
            String writer = "w" + n + "-";
            assertThat(stored.stream().filter(r -> r.startsWith(writer)).toList())
                    .isEqualTo(records(writer + "%d", 0, batches * perBatch - 1).stream().map(TenantStoreContract::text).toList());
        }
    }

    /** {@code format} filled with each number from {@code from} to {@code to}, inclusive. */
    protected static List<byte[]> records(String format, int from, int to) {
        List<byte[]> records = new ArrayList<>();
        for (int i = from; i <= to; i++) {
            records.add(bytes(String.format(format, i)));
        }
        return records;
    }

    protected List<String> all(String stream) {
        List<String> records = new ArrayList<>();
        store.forEach(stream, r -> records.add(text(r)));
        return records;
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
    void appendAllAt_theCurrentEnd_appendsTheBatch_andAStaleEndIsRefused() {
        String start = store.end("t").position();
        StreamEnd end = store.appendAllAt("t", List.of(bytes("1"), bytes("2")), start);
        assertThat(text(end.lastRecord().orElseThrow())).isEqualTo("2");
        assertThat(end.position()).isEqualTo(store.end("t").position());
        assertThatThrownBy(() -> store.appendAllAt("t", List.of(bytes("x"), bytes("y")), start))
                .isInstanceOf(StreamChangedException.class);
        store.appendAllAt("t", List.of(bytes("3")), end.position());
        assertThat(all("t")).containsExactly("1", "2", "3");
        assertThatThrownBy(() -> store.appendAllAt("t", List.of(), store.end("t").position()))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> store.appendAllAt("t", List.of(bytes("4"), bytes("two\nlines")), store.end("t").position()))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(all("t")).containsExactly("1", "2", "3");
    }

    @Test
    void since_returnsWhatOtherWritersAppendedAfterAPosition_acrossSegments() {
        StreamRead empty = store.since("t", store.end("t").position());
        assertThat(empty.records()).isEmpty();
        store.appendAll("t", List.of(bytes("a"), bytes("b")));
        StreamRead first = store.since("t", empty.position());
        assertThat(first.records().stream().map(TenantStoreContract::text)).containsExactly("a", "b");
        for (int i = 0; i < 30; i++) {
            store.append("t", bytes("{\"n\":" + i + "}"));
        }
        StreamRead rest = store.since("t", first.position());
        assertThat(rest.records()).hasSize(30);
        assertThat(text(rest.records().get(29))).isEqualTo("{\"n\":29}");
        assertThat(rest.position()).isEqualTo(store.end("t").position());
        assertThat(store.since("t", rest.position()).records()).isEmpty();
        // the position a catch-up ends at is one a conditional append can start from
        store.appendAllAt("t", List.of(bytes("z")), rest.position());
        assertThat(store.since("t", rest.position()).records().stream().map(TenantStoreContract::text)).containsExactly("z");
    }

    @Test
    void since_theStart_readsTheWholeStream_andEndsWhereAConditionalAppendGoesOn_acrossSegments() {
        StreamRead none = store.since("t", store.start());
        assertThat(none.records()).isEmpty();
        assertThat(none.position()).isEqualTo(store.end("t").position());
        store.appendAllAt("t", List.of(bytes("a")), none.position());
        for (int i = 0; i < 30; i++) {
            store.append("t", bytes("{\"n\":" + i + "}"));
        }
        StreamRead all = store.since("t", store.start());
        assertThat(all.records()).hasSize(31);
        assertThat(text(all.records().get(0))).isEqualTo("a");
        assertThat(text(all.records().get(30))).isEqualTo("{\"n\":29}");
        assertThat(all.position()).isEqualTo(store.end("t").position());
        store.appendAllAt("t", List.of(bytes("z")), all.position());
        assertThat(store.since("t", all.position()).records().stream().map(TenantStoreContract::text)).containsExactly("z");
    }

    @Test
    void since_aPositionThatIsNotOne_isRefused() {
        store.append("t", bytes("a"));
        assertThatThrownBy(() -> store.since("t", "not a position")).isInstanceOf(IllegalArgumentException.class);
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
