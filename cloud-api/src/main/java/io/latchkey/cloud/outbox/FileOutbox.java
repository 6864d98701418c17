package io.latchkey.cloud.outbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.latchkey.cloud.LatchkeyConfig;
import io.latchkey.cloud.pii.PiiCipher;
import io.latchkey.cloud.pii.PiiKeyException;
import io.latchkey.cloud.datadir.PrivateFiles;
import io.latchkey.protocol.Json;
import io.latchkey.protocol.Topic;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The durable outbox, in the tenant's own directory (messages hold PII):
 * <ul>
 * <li>{@code {data-dir}/tenants/{tenant}/outbox.jsonl}: one JSON line per message, appended and synced
 *     before {@link #send} returns;</li>
 * <li>{@code {data-dir}/tenants/{tenant}/outbox-deliveries.jsonl}: one line per message that is done,
 *     {@code {"id","state":"delivered"|"failed","at","reply"}}, appended and synced as soon as the relay
 *     accepted or refused it for good. It holds ids and reply codes only, no address or text.</li>
 * </ul>
 * The address, subject and body of each line are sealed under the recipient's data key ({@link PiiCipher}, record
 * {@code outbox/{id}}); lines written in clear by an earlier version are read as they are.
 * Without a relay nothing is ever done, and the first file is what the demo and tests read. With one,
 * delivered messages are dropped from the first file afterwards ({@link #forgetDelivered}), so addresses
 * and reset links do not stay on disk once mailed; refused ones stay for an operator to see. Rewrites go
 * through a temporary file moved over the old one.
 */
@Singleton
@io.micronaut.context.annotation.Requires(property = "latchkey.store.type", notEquals = io.latchkey.cloud.store.StoreConfig.AZURE)
public class FileOutbox implements Outbox, OutboxQueue {
    public static final String FILE_NAME = "outbox.jsonl";
    public static final String DELIVERIES_FILE_NAME = "outbox-deliveries.jsonl";
    static final String DELIVERED = "delivered";
    static final String FAILED = "failed";
    private static final ObjectMapper MAPPER = Json.mapper();
    private static final List<String> SEALED_FIELDS = List.of("to", "subject", "body");
    private static final Logger LOG = LoggerFactory.getLogger(FileOutbox.class);

    private final Path tenantsDir;
    private final Clock clock;
    private final SecureRandom random;
    private final PiiCipher cipher;
    private final Map<String, Object> locks = new ConcurrentHashMap<>();
    private final Wakeups newMessages = new Wakeups();

    public FileOutbox(LatchkeyConfig config, Clock clock, SecureRandom random, PiiCipher cipher) {
        this.tenantsDir = config.dataDirPath().resolve("tenants");
        this.cipher = cipher;
        this.clock = clock;
        this.random = random;
    }

    public Path fileOf(String tenant) {
        Topic.requireTenantId(tenant);
        return tenantsDir.resolve(tenant).resolve(FILE_NAME);
    }

    private Path deliveriesOf(String tenant) {
        return fileOf(tenant).resolveSibling(DELIVERIES_FILE_NAME);
    }

    @Override
    public String send(String tenant, Message message) {
        byte[] id = new byte[16];
        random.nextBytes(id);
        OutboxMessage kept = OutboxMessage.of("m-" + HexFormat.of().formatHex(id), message, clock.instant());
        try {
            append(tenant, fileOf(tenant), MAPPER.writeValueAsString(seal(tenant, kept)));
        } catch (IOException e) {
            throw new OutboxException("cannot write to the outbox of " + tenant, e);
        }
        newMessages.signal();
        return kept.id();
    }

    @Override
    public void eraseRecipient(String tenant, String userId) {
        synchronized (lockFor(tenant)) {
            try {
                rewriteMessages(tenant, m -> !userId.equals(m.path("userId").asText()));
            } catch (IOException e) {
                throw new OutboxException("cannot rewrite the outbox of " + tenant, e);
            }
        }
    }

    /** Every message of the tenant still kept, oldest first, whatever its state (for the demo and tests). */
    public List<OutboxMessage> messages(String tenant) {
        synchronized (lockFor(tenant)) {
            try {
                List<OutboxMessage> messages = new ArrayList<>();
                for (String line : lines(fileOf(tenant))) {
                    open(tenant, (ObjectNode) MAPPER.readTree(line)).ifPresent(messages::add);
                }
                return messages;
            } catch (IOException e) {
                throw new OutboxException("cannot read the outbox of " + tenant, e);
            }
        }
    }

    private ObjectNode seal(String tenant, OutboxMessage message) {
        ObjectNode line = MAPPER.valueToTree(message);
        ObjectNode pii = MAPPER.createObjectNode();
        for (String field : SEALED_FIELDS) {
            pii.set(field, line.remove(field));
        }
        line.put("sealed", cipher.seal(tenant, message.userId(), "outbox/" + message.id(), pii.toString()));
        return line;
    }

    /** Empty for a message whose recipient's key is gone (erased by termination, never delivered). */
    private Optional<OutboxMessage> open(String tenant, ObjectNode line) throws IOException {
        JsonNode sealed = line.remove("sealed");
        if (sealed != null) {
            String id = line.path("id").asText();
            try {
                ObjectNode pii = (ObjectNode) MAPPER.readTree(
                        cipher.open(tenant, line.path("userId").asText(), "outbox/" + id, sealed.asText()));
                line.setAll(pii);
            } catch (PiiKeyException e) {
                LOG.warn("outbox message {} of {} does not open (its recipient's data key is gone); skipped", id, tenant);
                return Optional.empty();
            }
        }
        return Optional.of(MAPPER.treeToValue(line, OutboxMessage.class));
    }

    /** The tenant's messages that are neither delivered nor failed, oldest first. */
    @Override
    public List<OutboxMessage> pending(String tenant) {
        synchronized (lockFor(tenant)) {
            Set<String> done = states(tenant).keySet();
            return messages(tenant).stream().filter(m -> !done.contains(m.id())).toList();
        }
    }

    /** One process holds the data directory: nobody else delivers from it. */
    @Override
    public boolean claim(String tenant, String id) {
        return true;
    }

    @Override
    public String describe() {
        return tenantsDir.resolve("{tenant}").resolve(FILE_NAME).toString();
    }

    /** The tenants that have an outbox file. */
    @Override
    public List<String> tenants() {
        List<String> tenants = new ArrayList<>();
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(tenantsDir)) {
            for (Path dir : dirs) {
                if (Files.exists(dir.resolve(FILE_NAME))) {
                    tenants.add(dir.getFileName().toString());
                }
            }
        } catch (NoSuchFileException e) {
            return List.of();
        } catch (IOException e) {
            throw new OutboxException("cannot list the tenants' outboxes", e);
        }
        return tenants;
    }

    /** Records durably that the relay accepted the message; it is never handed to the relay again. */
    @Override
    public void markDelivered(String tenant, String id) {
        markDone(tenant, id, DELIVERED, 250);
    }

    /** Records durably that the relay refused the message for good; it is kept but never tried again. */
    @Override
    public void markFailed(String tenant, String id, int replyCode) {
        markDone(tenant, id, FAILED, replyCode);
    }

    /** The ids of the tenant's messages that are done, with their state ({@code delivered} or {@code failed}). */
    public Map<String, String> states(String tenant) {
        synchronized (lockFor(tenant)) {
            try {
                Map<String, String> states = new LinkedHashMap<>();
                for (String line : lines(deliveriesOf(tenant))) {
                    JsonNode entry = MAPPER.readTree(line);
                    states.put(entry.path("id").asText(), entry.path("state").asText());
                }
                return states;
            } catch (IOException e) {
                throw new OutboxException("cannot read the deliveries of " + tenant, e);
            }
        }
    }

    /**
     * Drops delivered messages from the outbox file, then the delivery lines of messages no longer kept.
     * A crash between the two leaves extra delivery lines, which are harmless.
     */
    @Override
    public void forgetDelivered(String tenant) {
        synchronized (lockFor(tenant)) {
            try {
                Map<String, String> states = states(tenant);
                rewriteMessages(tenant, m -> !DELIVERED.equals(states.get(m.path("id").asText())));
                Set<String> kept = new java.util.HashSet<>();
                messages(tenant).forEach(m -> kept.add(m.id()));
                List<String> stillNeeded = new ArrayList<>();
                boolean changed = false;
                for (String line : lines(deliveriesOf(tenant))) {
                    if (kept.contains(MAPPER.readTree(line).path("id").asText())) {
                        stillNeeded.add(line);
                    } else {
                        changed = true;
                    }
                }
                if (changed) {
                    rewrite(deliveriesOf(tenant), stillNeeded);
                }
            } catch (IOException e) {
                throw new OutboxException("cannot compact the outbox of " + tenant, e);
            }
        }
    }

    /** Waits until a message is sent or the time is up; true if something new may be waiting. */
    @Override
    public boolean awaitNew(Duration timeout) throws InterruptedException {
        return newMessages.await(timeout);
    }

    /** Ends a current {@link #awaitNew} early. */
    @Override
    public void wake() {
        newMessages.signal();
    }

    private void markDone(String tenant, String id, String state, int replyCode) {
        Map<String, Object> entry = new HashMap<>();
        entry.put("id", id);
        entry.put("state", state);
        entry.put("at", clock.instant().toString());
        entry.put("reply", replyCode);
        try {
            append(tenant, deliveriesOf(tenant), MAPPER.writeValueAsString(entry));
        } catch (IOException e) {
            throw new OutboxException("cannot record the delivery of " + id, e);
        }
    }

    private void append(String tenant, Path file, String json) throws IOException {
        synchronized (lockFor(tenant)) {
            PrivateFiles.createDirectories(file.getParent());
            PrivateFiles.write(file, (json + "\n").getBytes(StandardCharsets.UTF_8),
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND, StandardOpenOption.SYNC);
        }
    }

    private void rewriteMessages(String tenant, Predicate<JsonNode> keep) throws IOException {
        Path file = fileOf(tenant);
        List<String> kept = new ArrayList<>();
        boolean changed = false;
        for (String line : lines(file)) {
            if (keep.test(MAPPER.readTree(line))) {
                kept.add(line);
            } else {
                changed = true;
            }
        }
        if (changed) {
            rewrite(file, kept);
        }
    }

    private static List<String> lines(Path file) throws IOException {
        try {
            return Files.readAllLines(file, StandardCharsets.UTF_8).stream().filter(l -> !l.isBlank()).toList();
        } catch (NoSuchFileException e) {
            return List.of();
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
