package io.latchkey.cloud.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
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
    void writes_leaveNoTemporaryFilesBehind() throws Exception {
        String v = store.create("cars", "car-1", bytes("1"));
        store.replace("cars", "car-1", bytes("2"), v);
        try (Stream<Path> files = Files.list(dir.resolve("tenant/docs/cars"))) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactly("car-1.json");
        }
    }
}
