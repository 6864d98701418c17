package io.latchkey.cloud.audit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;

/**
 * The one byte form of an audit record. Its canonical bytes are the JSON object
 * {@code {"index","actor","time","action","subject","outcome","prev"}} in exactly that order, no spaces,
 * {@code time} as ISO-8601 UTC; the stored line is the same object with {@code "hash"} (hex SHA-256 of the
 * canonical bytes) appended. A stored line is valid only if it is byte for byte what this class writes.
 */
final class AuditRecords {
    static final String GENESIS = "0".repeat(64);
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final List<String> FIELDS = List.of("index", "actor", "time", "action", "subject", "outcome", "prev", "hash");

    private AuditRecords() {
    }

    static AuditRecord chain(long index, AuditEntry entry, String prev) {
        AuditRecord unsigned = new AuditRecord(index, entry.actor(), entry.time(), entry.action(), entry.subject(),
                entry.outcome(), prev, null);
        return withHash(unsigned, sha256(canonical(unsigned)));
    }

    static byte[] line(AuditRecord record) {
        ObjectNode node = canonicalNode(record);
        node.put("hash", record.hash());
        return bytes(node);
    }

    /**
     * Reads a stored line and checks it against its own hash.
     *
     * @throws BrokenRecordException if it is not JSON, not in canonical form, or its hash does not match
     */
    static AuditRecord parse(byte[] line) {
        JsonNode node;
        try {
            node = MAPPER.readTree(line);
        } catch (IOException e) {
            throw new BrokenRecordException("not a JSON record");
        }
        if (!(node instanceof ObjectNode) || !FIELDS.equals(fieldNames(node))) {
            throw new BrokenRecordException("fields missing, renamed or out of order");
        }
        AuditRecord record;
        try {
            if (!node.get("index").canConvertToLong() || !node.get("index").isIntegralNumber()) {
                throw new BrokenRecordException("index is not a number");
            }
            record = new AuditRecord(node.get("index").asLong(), text(node, "actor"), Instant.parse(text(node, "time")),
                    text(node, "action"), text(node, "subject"), text(node, "outcome"), text(node, "prev"), text(node, "hash"));
        } catch (DateTimeParseException e) {
            throw new BrokenRecordException("time is not an ISO-8601 instant");
        }
        if (!Arrays.equals(line(record), line)) {
            throw new BrokenRecordException("not in canonical form");
        }
        if (!sha256(canonical(record)).equals(record.hash())) {
            throw new BrokenRecordException("hash does not match the record's content");
        }
        return record;
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 missing", e);
        }
    }

    static byte[] canonical(AuditRecord record) {
        return bytes(canonicalNode(record));
    }

    private static ObjectNode canonicalNode(AuditRecord r) {
        ObjectNode node = MAPPER.createObjectNode();
        node.put("index", r.index());
        node.put("actor", r.actor());
        node.put("time", r.time().toString());
        node.put("action", r.action());
        node.put("subject", r.subject());
        node.put("outcome", r.outcome());
        node.put("prev", r.prev());
        return node;
    }

    private static AuditRecord withHash(AuditRecord r, String hash) {
        return new AuditRecord(r.index(), r.actor(), r.time(), r.action(), r.subject(), r.outcome(), r.prev(), hash);
    }

    private static byte[] bytes(ObjectNode node) {
        try {
            return MAPPER.writeValueAsString(node).getBytes(StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException("cannot serialise an audit record", e);
        }
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new java.util.ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (!value.isTextual()) {
            throw new BrokenRecordException(field + " is not text");
        }
        return value.asText();
    }

    /** A stored line that is not a valid audit record; the message says why. */
    static final class BrokenRecordException extends RuntimeException {
        BrokenRecordException(String reason) {
            super(reason);
        }
    }
}
