package io.latchkey.simulator.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.latchkey.protocol.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The backend's embedded outbox ({@code tenants/{tenant}/outbox.jsonl} under its data directory, docs/api.md
 * "Messages to users") read as the users' mailboxes: what a backend without an SMTP relay "sent". Only for a
 * backend on this machine whose data directory the simulator was told (the demo, tests).
 */
public final class OutboxFile {
    /** One message as the outbox keeps it. */
    public record Mail(String id, String userId, String to, String kind, String subject, String body, Instant createdAt) {
        /** The body's lines, without trailing blanks. */
        public List<String> lines() {
            return body == null ? List.of() : body.strip().lines().toList();
        }
    }

    private static final ObjectMapper MAPPER = Json.mapper();

    private final Path backendDataDir;

    public OutboxFile(Path backendDataDir) {
        this.backendDataDir = Objects.requireNonNull(backendDataDir, "backendDataDir");
    }

    /** Every message of the tenant to {@code email}, oldest first (a missing file: none yet). */
    public List<Mail> messagesTo(String tenant, String email) {
        Path file = backendDataDir.resolve("tenants").resolve(tenant).resolve("outbox.jsonl");
        if (!Files.exists(file)) {
            return List.of();
        }
        try {
            List<Mail> mails = new ArrayList<>();
            for (String line : Files.readAllLines(file)) {
                if (line.isBlank()) {
                    continue;
                }
                Mail m = MAPPER.readValue(line, Mail.class);
                if (email.equalsIgnoreCase(m.to())) {
                    mails.add(m);
                }
            }
            return mails;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }
}
