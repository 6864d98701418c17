package io.latchkey.protocol.identity;

import io.latchkey.protocol.MalformedMessageException;
import io.latchkey.protocol.Topic;
import java.time.Instant;
import java.util.List;

/**
 * The public keys a tenant's devices trust, by kind (docs/device-identity.md, "Key sets"): a device refreshes its
 * command, update and offline-key issuing keys, and the key-set signing keys themselves, from the newest valid set.
 *
 * @param tenant   the tenant whose keys these are; a device refuses another tenant's set
 * @param serial   strictly increasing; a device refuses a set whose serial is not above the one it holds
 * @param issuedAt when the backend signed it (informational; the serial orders sets, not the clock)
 * @param keys     every key the device is to trust from now on: a key not listed is no longer trusted
 */
public record KeySet(String tenant, long serial, Instant issuedAt, List<Key> keys) {
    /** What a key is trusted for. */
    public enum Kind {
        /** Verifies signed commands and telemetry receipts. */
        COMMAND,
        /** Verifies over-the-air update bundles. */
        UPDATE,
        /** Verifies offline key credentials and revocation lists the tenant issues. */
        ISSUING,
        /** Verifies the next key set. */
        KEYSET
    }

    /** One key: its kind, its id (what signatures name) and its base64 X.509 SubjectPublicKeyInfo (Ed25519). */
    public record Key(Kind kind, String keyId, String publicKey) {
    }

    public KeySet {
        Topic.requireTenantId(tenant);
        if (serial < 1) {
            throw new MalformedMessageException("key set serial must be at least 1, got " + serial);
        }
        if (issuedAt == null) {
            throw new MalformedMessageException("key set issuedAt is required");
        }
        keys = keys == null ? List.of() : List.copyOf(keys);
        for (Key k : keys) {
            if (k == null || k.kind() == null || k.keyId() == null || k.keyId().isBlank() || k.publicKey() == null) {
                throw new MalformedMessageException("every key of a key set has a kind, a keyId and a publicKey");
            }
        }
        if (keys.stream().noneMatch(k -> k.kind() == Kind.KEYSET)) {
            throw new MalformedMessageException("a key set must name at least one KEYSET key, or no later set could be trusted");
        }
    }
}
