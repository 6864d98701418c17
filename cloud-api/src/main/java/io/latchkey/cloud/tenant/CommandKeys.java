package io.latchkey.cloud.tenant;

import io.latchkey.cloud.secrets.SecretStore;
import io.latchkey.cloud.tenant.KeyRing.StoredKey;
import io.latchkey.protocol.Keys;
import io.latchkey.protocol.command.CommandSigner;
import io.latchkey.protocol.key.TenantSigned;
import io.latchkey.protocol.telemetry.ReceiptSigner;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;

/**
 * Each tenant's Ed25519 command keys, kept in its secret store. The first key signs; the second is the
 * next one, published ahead of use; keys rotated out follow, public half only, until devices stop trusting them
 * ({@link #RETIRED_FOR}). Devices pin every public half published by
 * {@code /.well-known/latchkey-device} and pick one by {@code kid}, so a device provisioned before a
 * {@link #rotate rotation} already trusts the key that signs after it (one rotation; after two it must
 * fetch the keys again). The signing key also signs telemetry receipts, which devices check against the
 * same pinned keys.
 */
@Singleton
public class CommandKeys implements TenantKeys {
    static final String SECRET_NAME = "command-keys";
    private static final KeyRing RING = new KeyRing("cmd", "command keys", 1);

    /** One key as stored: ids and base64 (PKCS#8 / X.509) forms. */

    /** A public command key as devices see it. */
    public record PublicCommandKey(String kid, String alg, String publicKey) {
    }

    private final SecretStore secrets;
    private final Clock clock;
    /**
     * How long a replica uses the keys it read before reading them again: a rotation on another replica signs here
     * within this bound. Meanwhile this replica still signs with the key rotated out, which devices keep trusting for
     * {@link #RETIRED_FOR}.
     */
    public static final Duration FRESH_FOR = Duration.ofSeconds(30);
    /**
     * How long the signing key a rotation retires stays in the devices' key set: {@link #FRESH_FOR} (another replica may
     * sign with it that long after the rotation), plus the longest command lifetime ({@code latchkey.commands.timeout}
     * is at most 2 min: a command signed last is still delivered until it expires), plus 30 s for clocks that differ.
     * After it the next key set leaves it out ({@code device.KeySetPublisher}'s sweep) and devices refuse it.
     */
    public static final Duration RETIRED_FOR = Duration.ofMinutes(3);

    private record Cached(List<StoredKey> keys, Instant readAt) {
    }

    private final Map<String, Cached> cache = new ConcurrentHashMap<>();
    private final Map<String, CommandSigner> signers = new ConcurrentHashMap<>();
    private final Map<String, ReceiptSigner> receiptSigners = new ConcurrentHashMap<>();
    private final Map<String, DocumentKey> documentKeys = new ConcurrentHashMap<>();

    private record DocumentKey(String kid, Ed25519PrivateKeyParameters key) {
    }

    public CommandKeys(SecretStore secrets, Clock clock) {
        this.secrets = secrets;
        this.clock = clock;
    }

    /** Creates the tenant's first command key if it has none. */
    @Override
    public void createFor(String tenant) {
        ensure(tenant);
    }

    public void ensure(String tenant) {
        keysOf(tenant);
    }

    public CommandSigner signer(String tenant) {
        keysOf(tenant);
        return signers.computeIfAbsent(tenant, t -> {
            StoredKey key = keysOf(t).get(0);
            return new CommandSigner(Keys.decodeCommandPrivateKey(key.privateKey()), key.kid());
        });
    }

    /** Signs the tenant's telemetry receipts with the key that signs its commands. */
    public ReceiptSigner receiptSigner(String tenant) {
        keysOf(tenant);
        return receiptSigners.computeIfAbsent(tenant, t -> {
            StoredKey key = keysOf(t).get(0);
            return new ReceiptSigner(Keys.decodeCommandPrivateKey(key.privateKey()), key.kid());
        });
    }

    /**
     * Signs a document the car checks against the same pinned keys as commands (an offline key credential, a
     * revocation list: docs/offline-keys.md), with the key that signs the tenant's commands, under the document kind's
     * own signing context so that neither can pass for a command.
     */
    public TenantSigned sign(String tenant, TenantSigned.Kind kind, Object document) {
        keysOf(tenant);
        DocumentKey key = documentKeys.computeIfAbsent(tenant, t -> {
            StoredKey stored = keysOf(t).get(0);
            return new DocumentKey(stored.kid(), Keys.ed25519(Keys.decodeCommandPrivateKey(stored.privateKey())));
        });
        return TenantSigned.sign(kind, document, key.kid(), key.key());
    }

    /**
     * The signing key and the next one, as discovery and provisioning hand them out to pin (keys being retired are
     * not: a device provisioned now learns them, if at all, from the key set).
     */
    public List<PublicCommandKey> publicKeys(String tenant) {
        return keysOf(tenant).stream().filter(StoredKey::active)
                .map(k -> new PublicCommandKey(k.kid(), Keys.COMMAND_KEY_ALGORITHM, k.publicKey()))
                .toList();
    }

    /**
     * The keys devices must trust now, for the tenant's key set: the signing key, the next one and every key rotated out
     * less than {@link #RETIRED_FOR} ago. Read from the secret store, not this replica's copy, so that a replica that has
     * not seen a rotation yet cannot publish a set that goes back to the keys before it.
     */
    public List<PublicCommandKey> trustedKeys(String tenant) {
        Instant now = clock.instant();
        return remember(tenant, read(tenant)).stream().filter(k -> k.trustedAt(now))
                .map(k -> new PublicCommandKey(k.kid(), Keys.COMMAND_KEY_ALGORITHM, k.publicKey()))
                .toList();
    }

    /**
     * True when, by this replica's copy of the keys (at most {@link #FRESH_FOR} old), a rotated-out key's time is over,
     * so the devices' key set may still list a key they must stop trusting.
     */
    public boolean retirementEnded(String tenant) {
        Instant now = clock.instant();
        return keysOf(tenant).stream().anyMatch(k -> !k.active() && !k.trustedAt(now));
    }

    private List<StoredKey> keysOf(String tenant) {
        Cached cached = cache.get(tenant);
        Instant now = clock.instant();
        if (cached != null && !now.isBefore(cached.readAt()) && now.isBefore(cached.readAt().plus(FRESH_FOR))) {
            return cached.keys();
        }
        return remember(tenant, read(tenant));
    }

    private List<StoredKey> read(String tenant) {
        return RING.parse(secrets.getOrCreate(tenant, SECRET_NAME, RING::initial));
    }

    /** Keeps the keys read; if another replica rotated meanwhile, the signers made from the old key go. */
    private List<StoredKey> remember(String tenant, List<StoredKey> keys) {
        Cached previous = cache.put(tenant, new Cached(keys, clock.instant()));
        if (previous != null && !previous.keys().get(0).equals(keys.get(0))) {
            signers.remove(tenant);
            receiptSigners.remove(tenant);
            documentKeys.remove(tenant);
        }
        return keys;
    }

    /**
     * The next key becomes the signing key (a new one is made if the tenant has none yet) and a new next
     * key is published; the old signing key is retired: devices keep trusting it for {@link #RETIRED_FOR} (what other
     * replicas sign with it until they read the keys again, and commands it signed, still verify), its private half is
     * dropped at once.
     *
     * @return the kid that signs from now on
     */
    public String rotate(String tenant) {
        keysOf(tenant);
        Instant now = clock.instant();
        String json = secrets.update(tenant, SECRET_NAME, stored -> RING.rotatedKeeping(stored, now, RETIRED_FOR));
        List<StoredKey> rotated = remember(tenant, RING.parse(json));
        return rotated.get(0).kid();
    }
}
