package io.latchkey.agent.identity;

import io.latchkey.agent.config.AgentConfig;
import io.latchkey.protocol.ProtocolException;
import io.latchkey.protocol.identity.KeySet;
import io.latchkey.protocol.identity.SignedKeySet;
import io.latchkey.protocol.identity.TrustedKeys;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The tenant keys this device trusts (docs/device-identity.md, "Key sets"): what was pinned at provisioning
 * ({@code command.keys.*}, {@code keyset.keys.*}), replaced by the newest signed key set the device has taken, which is
 * kept in {@code {data.dir}/keyset.json} (written atomically, and only after it verified). A set arrives retained on
 * {@code lk/{tenant}/{deviceId}/keys}; it is taken only if a key-set key trusted now signed it, it is this tenant's and
 * its serial is above the one held (so a replayed older set, or the same set again at every connection, changes
 * nothing). The keys in use by the command, receipt and offline-key verifiers are read once at start
 * ({@link #effective}): after a new set the agent restarts.
 */
public final class KeySets {
    static final String FILE = "keyset.json";
    private static final Logger LOG = LoggerFactory.getLogger(KeySets.class);

    private final Path file;
    private volatile TrustedKeys current;

    private KeySets(Path file, TrustedKeys current) {
        this.file = file;
        this.current = current;
    }

    /** The pinned keys of {@code config}, then the set in its data folder if there is one. */
    public static KeySets open(AgentConfig config) {
        TrustedKeys pinned = TrustedKeys.pinned(config.tenant(), Map.of(
                KeySet.Kind.COMMAND, config.commandKeys(),
                KeySet.Kind.ISSUING, config.commandKeys(),
                KeySet.Kind.KEYSET, config.keySetKeys()));
        Path file = config.dataDir().resolve(FILE);
        TrustedKeys held = pinned;
        if (Files.exists(file)) {
            try {
                held = TrustedKeys.restored(config.tenant(), SignedKeySet.parse(Files.readAllBytes(file)));
            } catch (IOException | ProtocolException e) {
                LOG.warn("{}: {} is unreadable ({}); using the keys pinned at provisioning", config.deviceId(), file, e.getMessage());
            }
        }
        return new KeySets(file, held);
    }

    /** {@code config} with the command keys of the set held (the pinned ones when none was taken yet). */
    public static AgentConfig effective(AgentConfig config) {
        KeySets sets = open(config);
        if (sets.current().serial() == 0) {
            return config;
        }
        return config.toBuilder().replaceCommandKeys(sets.current().commandAndIssuingKeys()).build();
    }

    public TrustedKeys current() {
        return current;
    }

    /**
     * A set as received.
     *
     * @return true if taken (then persisted): the verifiers need the new keys, the agent should restart
     * @throws ProtocolException refused (older, untrusted, forged, another tenant's, malformed); nothing changed
     */
    public synchronized boolean offer(byte[] payload) {
        SignedKeySet signed = SignedKeySet.parse(payload);
        TrustedKeys held = current;
        if (held.source().isPresent() && held.source().get().equals(signed)) {
            return false; // the retained set again, at a reconnection
        }
        try {
            TrustedKeys next = held.accept(signed);
            AtomicFiles.write(file, signed.toJson(), false);
            current = next;
            return true;
        } catch (io.latchkey.protocol.identity.KeySetRejectedException e) {
            if (e.getMessage().contains("not newer")) {
                return false; // the retained set again at a reconnection, or an older one replayed
            }
            throw e;
        } catch (UncheckedIOException e) {
            throw new ProtocolException("key set verified but not saved: " + e.getMessage(), e);
        }
    }

    /** The keys to check update bundles with (none before the first set names some). */
    public Optional<Map<String, java.security.PublicKey>> updateKeys() {
        Map<String, java.security.PublicKey> keys = current.keys(KeySet.Kind.UPDATE);
        return keys.isEmpty() ? Optional.empty() : Optional.of(keys);
    }
}
