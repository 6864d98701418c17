package io.latchkey.cloud.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileTenantStoreTest extends TenantStoreContract {
    @TempDir
    Path dir;

    @Override
    protected TenantStore newStore() {
        return new FileTenantStore(dir.resolve("tenant"));
    }

    @Test
    void documents_surviveAReopen() {
        store.create("cars", "car-1", bytes("kept"));
        store.append("log", bytes("one"));
        FileTenantStore reopened = new FileTenantStore(dir.resolve("tenant"));
        assertThat(text(reopened.read("cars", "car-1").orElseThrow().value())).isEqualTo("kept");
        assertThat(reopened.tail("log", 10)).hasSize(1);
    }

    @Test
    void aTornLastLine_costsOnlyThatRecord() throws Exception {
        store.append("log", bytes("{\"n\":1}"));
        Path file = dir.resolve("tenant/streams/log.jsonl");
        Files.write(file, "{\"n\":2".getBytes(StandardCharsets.UTF_8), StandardOpenOption.APPEND);
        store.append("log", bytes("{\"n\":3}"));
        List<String> lines = new ArrayList<>();
        store.forEach("log", r -> lines.add(text(r)));
        assertThat(lines).containsExactly("{\"n\":1}", "{\"n\":2", "{\"n\":3}");
    }

    @Test
    void aTornLastLine_beforeABatch_costsOnlyThatRecord() throws Exception {
        store.append("log", bytes("{\"n\":1}"));
        Path file = dir.resolve("tenant/streams/log.jsonl");
        Files.write(file, "{\"n\":2".getBytes(StandardCharsets.UTF_8), StandardOpenOption.APPEND);
        store.appendAll("log", List.of(bytes("{\"n\":3}"), bytes("{\"n\":4}")));
        assertThat(all("log")).containsExactly("{\"n\":1}", "{\"n\":2", "{\"n\":3}", "{\"n\":4}");
    }

    @Test
    void aBatchTornByACrash_losesOnlyItsTail_andTheNextBatchStartsOnAFreshLine() throws Exception {
        store.appendAll("log", List.of(bytes("{\"n\":1}")));
        Path file = dir.resolve("tenant/streams/log.jsonl");
        long before = Files.size(file);
        store.appendAll("log", List.of(bytes("{\"n\":2}"), bytes("{\"n\":3}"), bytes("{\"n\":4}")));
        // what a crash during the batch's single write can leave: a prefix of it, cut inside record 3
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
            channel.truncate(before + "{\"n\":2}\n{\"n\"".length());
        }
        store.appendAll("log", List.of(bytes("{\"n\":5}"), bytes("{\"n\":6}")));
        assertThat(all("log")).containsExactly("{\"n\":1}", "{\"n\":2}", "{\"n\"", "{\"n\":5}", "{\"n\":6}");
    }

    @Test
    void aBatch_isOneContiguousRunOfLines_evenWithConcurrentWriters() throws Exception {
        int threads = 4;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int writer = t;
                futures.add(pool.submit(() -> {
                    for (int b = 0; b < 25; b++) {
                        store.appendAll("shared", records("w" + writer + "-b" + b + "-%d", 0, 9));
                        store.append("shared", bytes("w" + writer + "-single-" + b));
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
        List<String> lines = Files.readAllLines(dir.resolve("tenant/streams/shared.jsonl"), StandardCharsets.UTF_8);
        assertThat(lines).hasSize(threads * 25 * 11);
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).endsWith("-0") && lines.get(i).contains("-b")) {
                String batch = lines.get(i).substring(0, lines.get(i).length() - 1);
                for (int k = 0; k < 10; k++) {
                    assertThat(lines.get(i + k)).isEqualTo(batch + k);
                }
            }
        }
    }

    @Test
    void writes_leaveNoTemporaryFilesBehind() throws Exception {
        String v = store.create("cars", "car-1", bytes("1"));
        store.replace("cars", "car-1", bytes("2"), v);
        try (Stream<Path> files = Files.list(dir.resolve("tenant/docs/cars"))) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactly("car-1.json");
        }
    }
}
