package io.latchkey.cloud.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.latchkey.protocol.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads the embedded outbox file ({@code tenants/{tenant}/outbox.jsonl}) as a user's mailbox. */
public final class Mailbox {
    private static final ObjectMapper MAPPER = Json.mapper();
    private static final Pattern RESET_LINK = Pattern.compile("/reset-password/([A-Za-z0-9_-]{20,})");

    private Mailbox() {
    }

    public static List<JsonNode> messagesTo(Path dataDir, String tenant, String email) {
        Path file = dataDir.resolve("tenants").resolve(tenant).resolve("outbox.jsonl");
        if (!Files.exists(file)) {
            return List.of();
        }
        try {
            List<JsonNode> messages = new ArrayList<>();
            for (String line : Files.readAllLines(file)) {
                JsonNode message = MAPPER.readTree(line);
                if (email.equals(message.path("to").asText())) {
                    messages.add(message);
                }
            }
            return messages;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The token of the newest reset link sent to {@code email}. */
    public static Optional<String> lastResetToken(Path dataDir, String tenant, String email) {
        List<JsonNode> messages = messagesTo(dataDir, tenant, email);
        for (int i = messages.size() - 1; i >= 0; i--) {
            Matcher m = RESET_LINK.matcher(messages.get(i).path("body").asText());
            if (m.find()) {
                return Optional.of(m.group(1));
            }
        }
        return Optional.empty();
    }
}
