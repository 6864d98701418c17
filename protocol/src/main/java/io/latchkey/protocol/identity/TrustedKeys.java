package io.latchkey.protocol.identity;

import io.latchkey.protocol.Keys;
import io.latchkey.protocol.ProtocolException;
import io.latchkey.protocol.Topic;
import java.security.PublicKey;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The keys a device trusts now, by kind, and the serial of the key set they came from (0: only what was pinned at
 * provisioning). Immutable: {@link #accept} answers the next state or refuses. A set is taken only if a
 * {@link KeySet.Kind#KEYSET} key trusted <em>now</em> signed it, it is the device's tenant's and its serial is above the
 * current one; it then replaces every key (a key it does not list is no longer trusted), so a device survives any
 * number of rotations as long as it sees each signing key hand over to the next.
 */
public final class TrustedKeys {
    private final String tenant;
    private final long serial;
    private final Map<KeySet.Kind, Map<String, PublicKey>> keys;
    private final SignedKeySet source;

    private TrustedKeys(String tenant, long serial, Map<KeySet.Kind, Map<String, PublicKey>> keys, SignedKeySet source) {
        this.tenant = tenant;
        this.serial = serial;
        this.keys = keys;
        this.source = source;
    }

    /** What the device was provisioned with: serial 0. */
    public static TrustedKeys pinned(String tenant, Map<KeySet.Kind, Map<String, PublicKey>> pinned) {
        Topic.requireTenantId(tenant);
        Map<KeySet.Kind, Map<String, PublicKey>> copy = new EnumMap<>(KeySet.Kind.class);
        for (KeySet.Kind kind : KeySet.Kind.values()) {
            copy.put(kind, Collections.unmodifiableMap(new LinkedHashMap<>(pinned.getOrDefault(kind, Map.of()))));
        }
        return new TrustedKeys(tenant, 0, copy, null);
    }

    /**
     * The state a device saved after it verified {@code signed} (its own storage holds only sets it took): the set is
     * not checked against a key again, since the key that signed it may itself have been rotated out since.
     *
     * @throws KeySetRejectedException the set is another tenant's
     */
    public static TrustedKeys restored(String tenant, SignedKeySet signed) {
        Topic.requireTenantId(tenant);
        KeySet set = signed.unverified();
        if (!tenant.equals(set.tenant())) {
            throw new KeySetRejectedException("saved key set of tenant '" + set.tenant() + "', this device is of '" + tenant + "'");
        }
        return new TrustedKeys(tenant, set.serial(), byKind(set), signed);
    }

    private static Map<KeySet.Kind, Map<String, PublicKey>> byKind(KeySet set) {
        Map<KeySet.Kind, Map<String, PublicKey>> next = new EnumMap<>(KeySet.Kind.class);
        for (KeySet.Kind kind : KeySet.Kind.values()) {
            next.put(kind, new LinkedHashMap<>());
        }
        for (KeySet.Key key : set.keys()) {
            next.get(key.kind()).put(key.keyId(), Keys.decodeCommandPublicKey(key.publicKey()));
        }
        next.replaceAll((k, v) -> Collections.unmodifiableMap(v));
        return next;
    }

    /**
     * The state after {@code signed}.
     *
     * @throws KeySetRejectedException the signer is not a trusted key-set key, the signature does not verify, the set is
     *                                 another tenant's, or its serial is not above {@link #serial()}
     * @throws ProtocolException       the set is malformed
     */
    public TrustedKeys accept(SignedKeySet signed) {
        Objects.requireNonNull(signed, "signed");
        PublicKey signer = keys.get(KeySet.Kind.KEYSET).get(signed.signerKeyId());
        if (signer == null) {
            throw new KeySetRejectedException("key set signed by '" + signed.signerKeyId()
                    + "', not a key-set key this device trusts " + keys.get(KeySet.Kind.KEYSET).keySet());
        }
        KeySet set = signed.verifiedWith(signer);
        if (set == null) {
            throw new KeySetRejectedException("key set signature does not verify with key '" + signed.signerKeyId() + "'");
        }
        if (!tenant.equals(set.tenant())) {
            throw new KeySetRejectedException("key set of tenant '" + set.tenant() + "', this device is of '" + tenant + "'");
        }
        if (set.serial() <= serial) {
            throw new KeySetRejectedException("key set serial " + set.serial() + " is not newer than the one held (" + serial + ")");
        }
        return new TrustedKeys(tenant, set.serial(), byKind(set), signed);
    }

    public String tenant() {
        return tenant;
    }

    public long serial() {
        return serial;
    }

    /** The keys of {@code kind}, by key id. */
    public Map<String, PublicKey> keys(KeySet.Kind kind) {
        return keys.get(kind);
    }

    /**
     * The tenant keys that verify commands, receipts and offline keys today: {@link KeySet.Kind#COMMAND} and
     * {@link KeySet.Kind#ISSUING} together (the car has always checked both with the keys pinned as command keys).
     */
    public Map<String, PublicKey> commandAndIssuingKeys() {
        Map<String, PublicKey> all = new LinkedHashMap<>(keys.get(KeySet.Kind.COMMAND));
        keys.get(KeySet.Kind.ISSUING).forEach(all::putIfAbsent);
        return Collections.unmodifiableMap(all);
    }

    /** The signed set this state came from, to persist; empty for what was pinned. */
    public Optional<SignedKeySet> source() {
        return Optional.ofNullable(source);
    }
}
