package io.latchkey.simulator.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the demo sees of a backend's outbox file when the backend has no relay: queued messages, sealed or not. */
class OutboxFileTest {
    @TempDir
    Path dataDir;

    @Test
    void messagesFor_listsTheUsersQueuedMessages_andWhetherTheirPersonalPartIsSealed() throws Exception {
        Path file = dataDir.resolve("tenants/demo/outbox.jsonl");
        Files.createDirectories(file.getParent());
        Files.write(file, List.of(
                // as cloud-api's FileOutbox writes them: address, subject and body sealed under the recipient's key
                "{\"id\":\"m-1\",\"userId\":\"u-1\",\"kind\":\"booking-confirmed\",\"createdAt\":\"2026-01-02T03:04:05Z\",\"sealed\":\"v1.abc\"}",
                "{\"id\":\"m-2\",\"userId\":\"u-2\",\"kind\":\"rental-receipt\",\"createdAt\":\"2026-01-02T03:04:06Z\",\"sealed\":\"v1.def\"}",
                "",
                // written in clear by an earlier version
                "{\"id\":\"m-3\",\"userId\":\"u-1\",\"to\":\"b@demo.example\",\"kind\":\"rental-receipt\",\"subject\":\"s\",\"body\":\"b\","
                        + "\"createdAt\":\"2026-01-02T03:04:07Z\"}"));

        assertThat(new OutboxFile(dataDir).messagesFor("demo", "u-1")).containsExactly(
                new OutboxFile.Queued("m-1", "u-1", "booking-confirmed", Instant.parse("2026-01-02T03:04:05Z"), true),
                new OutboxFile.Queued("m-3", "u-1", "rental-receipt", Instant.parse("2026-01-02T03:04:07Z"), false));
        assertThat(new OutboxFile(dataDir).messagesFor("demo", "u-9")).isEmpty();
        assertThat(new OutboxFile(dataDir).messagesFor("other", "u-1")).as("no file yet").isEmpty();
    }

    @Test
    void messagesFor_saysWhichFileItCannotRead() throws Exception {
        Path file = dataDir.resolve("tenants/demo/outbox.jsonl");
        Files.createDirectories(file.getParent());
        Files.writeString(file, "{not json\n");
        assertThatThrownBy(() -> new OutboxFile(dataDir).messagesFor("demo", "u-1")).isInstanceOf(UncheckedIOException.class)
                .hasMessageContaining("outbox.jsonl");
    }
}
