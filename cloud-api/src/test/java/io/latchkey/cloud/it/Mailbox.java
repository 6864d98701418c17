package io.latchkey.cloud.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.latchkey.cloud.LatchkeyConfig;
import io.latchkey.cloud.outbox.FileOutbox;
import io.latchkey.cloud.outbox.OutboxMessage;
import io.latchkey.cloud.pii.PiiCipher;
import io.latchkey.cloud.secrets.FileSecretStore;
import io.latchkey.protocol.Json;
import java.security.SecureRandom;
import java.time.Clock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the embedded outbox file ({@code tenants/{tenant}/outbox.jsonl}) as a user's mailbox, opening the sealed
 * addresses and texts with the data directory's own secret store, as the backend does.
 */
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
        List<JsonNode> messages = new ArrayList<>();
        for (OutboxMessage message : all(dataDir, tenant)) {
            if (email.equals(message.to())) {
                messages.add(MAPPER.valueToTree(message));
            }
        }
        return messages;
    }

    /** Every message kept in the tenant's outbox, opened (a message whose recipient's key is gone is left out). */
    public static List<OutboxMessage> all(Path dataDir, String tenant) {
        LatchkeyConfig config = new LatchkeyConfig(dataDir.toString(), null);
        SecureRandom random = new SecureRandom();
        Clock clock = Clock.systemUTC();
        FileOutbox outbox = new FileOutbox(config, clock, random,
                new PiiCipher(new FileSecretStore(config, random), random, clock));
        return outbox.messages(tenant);
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
