package io.latchkey.simulator.api;

import com.fasterxml.jackson.databind.JsonNode;
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
 * "Messages to users"): what a backend without an SMTP relay queued for its users. Each message's address, subject
 * and body are sealed under the recipient's data key (docs/security.md, "Personal data at rest"), so this sees only
 * what is in clear: the message's id, recipient (user id), kind and time, and whether its personal part is sealed.
 * Only for a backend on this machine whose data directory the simulator was told (the demo, tests).
 */
public final class OutboxFile {
    /** One queued message as far as it is in clear; {@code sealed}: its address, subject and body are not. */
    public record Queued(String id, String userId, String kind, Instant createdAt, boolean sealed) {
    }

    private static final ObjectMapper MAPPER = Json.mapper();

    private final Path backendDataDir;

    public OutboxFile(Path backendDataDir) {
        this.backendDataDir = Objects.requireNonNull(backendDataDir, "backendDataDir");
    }

    /** Every message of the tenant queued for the user {@code userId}, oldest first (a missing file: none yet). */
    public List<Queued> messagesFor(String tenant, String userId) {
        Path file = backendDataDir.resolve("tenants").resolve(tenant).resolve("outbox.jsonl");
        if (!Files.exists(file)) {
            return List.of();
        }
        try {
            List<Queued> queued = new ArrayList<>();
            for (String line : Files.readAllLines(file)) {
                if (line.isBlank()) {
                    continue;
                }
                JsonNode m = MAPPER.readTree(line);
                if (!userId.equals(m.path("userId").asText(null)) || !m.hasNonNull("kind")) {
                    continue; // delivery records, other users
                }
                boolean sealed = m.hasNonNull("sealed") && !m.has("to") && !m.has("subject") && !m.has("body");
                queued.add(new Queued(m.path("id").asText(), userId, m.path("kind").asText(),
                        m.hasNonNull("createdAt") ? Instant.parse(m.get("createdAt").asText()) : null, sealed));
            }
            return queued;
        } catch (IOException | RuntimeException e) {
            throw new UncheckedIOException("cannot read " + file, e instanceof IOException io ? io : new IOException(e));
        }
    }
}
