package io.latchkey.protocol.key;

import io.latchkey.protocol.Ids;
import io.latchkey.protocol.MalformedMessageException;
import java.time.Instant;
import java.util.List;

/**
 * A tenant's list of revoked keys (docs/offline-keys.md §6): the car keeps the one with the highest serial it has
 * verified. Entries leave the list after their credential's {@code notAfter}.
 */
public record RevocationList(int v, String type, String tenant, long serial, Instant issuedAt, List<Entry> entries) {
    public static final String TYPE = "latchkey.revocations";

    public record Entry(String keyId, Instant notAfter) {
    }

    public RevocationList checked() {
        if (v != 1 || !TYPE.equals(type) || !Ids.isValid(tenant) || serial < 1 || issuedAt == null || entries == null) {
            throw new MalformedMessageException("not a version 1 " + TYPE + " with tenant, serial >= 1, issuedAt and entries");
        }
        for (Entry e : entries) {
            if (e == null || e.keyId() == null || !KeyCredential.KEY_ID.matcher(e.keyId()).matches() || e.notAfter() == null) {
                throw new MalformedMessageException("each entry needs a keyId and notAfter");
            }
        }
        return this;
    }

    public boolean revokes(String keyId) {
        return entries.stream().anyMatch(e -> e.keyId().equals(keyId));
    }
}
