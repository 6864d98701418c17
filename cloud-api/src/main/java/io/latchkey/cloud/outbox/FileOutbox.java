package io.latchkey.cloud.outbox;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.latchkey.cloud.LatchkeyConfig;
import io.latchkey.cloud.datadir.PrivateFiles;
import io.latchkey.protocol.Json;
import io.latchkey.protocol.Topic;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The embedded outbox: one JSON line per message in {@code {data-dir}/tenants/{tenant}/outbox.jsonl},
 * inside the tenant's own directory (messages hold PII). Nothing is mailed; the demo and tests read the
 * file. Erasing a recipient rewrites the file without their lines, through a temporary file moved over
 * the old one.
 */
@Singleton
public class FileOutbox implements Outbox {
    public static final String FILE_NAME = "outbox.jsonl";
    private static final ObjectMapper MAPPER = Json.mapper();

    private final Path tenantsDir;
    private final Map<String, Object> locks = new ConcurrentHashMap<>();

    public FileOutbox(LatchkeyConfig config) {
        this.tenantsDir = config.dataDirPath().resolve("tenants");
    }

    public Path fileOf(String tenant) {
        Topic.requireTenantId(tenant);
        return tenantsDir.resolve(tenant).resolve(FILE_NAME);
    }

    @Override
    public void send(String tenant, OutboxMessage message) {
        Path file = fileOf(tenant);
        synchronized (lockFor(tenant)) {
            try {
                PrivateFiles.createDirectories(file.getParent());
                byte[] line = (MAPPER.writeValueAsString(message) + "\n").getBytes(StandardCharsets.UTF_8);
                PrivateFiles.write(file, line, StandardOpenOption.CREATE, StandardOpenOption.APPEND, StandardOpenOption.SYNC);
            } catch (IOException e) {
                throw new OutboxException("cannot write to the outbox of " + tenant, e);
            }
        }
    }

    @Override
    public void eraseRecipient(String tenant, String userId) {
        Path file = fileOf(tenant);
        synchronized (lockFor(tenant)) {
            try {
                List<String> kept = new ArrayList<>();
                boolean changed = false;
                for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                    if (line.isBlank()) {
                        continue;
                    }
                    if (userId.equals(MAPPER.readTree(line).path("userId").asText())) {
                        changed = true;
                    } else {
                        kept.add(line);
                    }
                }
                if (changed) {
                    rewrite(file, kept);
                }
            } catch (NoSuchFileException e) {
                // no messages at all
            } catch (IOException e) {
                throw new OutboxException("cannot rewrite the outbox of " + tenant, e);
            }
        }
    }

    /** Every message of the tenant, oldest first (for the demo and tests). */
    public List<OutboxMessage> messages(String tenant) {
        try {
            List<OutboxMessage> messages = new ArrayList<>();
            for (String line : Files.readAllLines(fileOf(tenant), StandardCharsets.UTF_8)) {
                if (!line.isBlank()) {
                    messages.add(MAPPER.readValue(line, OutboxMessage.class));
                }
            }
            return messages;
        } catch (NoSuchFileException e) {
            return List.of();
        } catch (IOException e) {
            throw new OutboxException("cannot read the outbox of " + tenant, e);
        }
    }

    private static void rewrite(Path file, List<String> lines) throws IOException {
        Path tmp = file.resolveSibling("." + file.getFileName() + "." + UUID.randomUUID() + ".tmp");
        try {
            StringBuilder text = new StringBuilder();
            lines.forEach(l -> text.append(l).append('\n'));
            PrivateFiles.write(tmp, text.toString().getBytes(StandardCharsets.UTF_8), StandardOpenOption.CREATE_NEW, StandardOpenOption.SYNC);
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    private Object lockFor(String tenant) {
        return locks.computeIfAbsent(tenant, t -> new Object());
    }
}
