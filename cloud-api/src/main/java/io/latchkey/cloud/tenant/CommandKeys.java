package io.latchkey.cloud.tenant;

import io.latchkey.cloud.secrets.SecretStore;
import io.latchkey.cloud.tenant.KeyRing.StoredKey;
import io.latchkey.protocol.Keys;
import io.latchkey.protocol.command.CommandSigner;
import io.latchkey.protocol.key.TenantSigned;
import io.latchkey.protocol.telemetry.ReceiptSigner;
import jakarta.inject.Singleton;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;

/**
 * Each tenant's Ed25519 command keys, kept in its secret store. The first key signs; the second is the
 * next one, published ahead of use. Devices pin every public half published by
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
    /**
     * How long a replica uses the keys it read before reading them again: a rotation on another replica is
     * published and signs here within this bound (devices keep every key they pinned, so commands signed with
     * the previous key meanwhile still verify).
     */
    public static final java.time.Duration FRESH_FOR = java.time.Duration.ofSeconds(30);

    private record Cached(List<StoredKey> keys, long readAt) {
    }

    private final Map<String, Cached> cache = new ConcurrentHashMap<>();
    private final Map<String, CommandSigner> signers = new ConcurrentHashMap<>();
    private final Map<String, ReceiptSigner> receiptSigners = new ConcurrentHashMap<>();
    private final Map<String, DocumentKey> documentKeys = new ConcurrentHashMap<>();

    private record DocumentKey(String kid, Ed25519PrivateKeyParameters key) {
    }

    public CommandKeys(SecretStore secrets) {
        this.secrets = secrets;
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

    public List<PublicCommandKey> publicKeys(String tenant) {
        return keysOf(tenant).stream()
                .map(k -> new PublicCommandKey(k.kid(), Keys.COMMAND_KEY_ALGORITHM, k.publicKey()))
                .toList();
    }

    private List<StoredKey> keysOf(String tenant) {
        Cached cached = cache.get(tenant);
        if (cached != null && System.nanoTime() - cached.readAt() < FRESH_FOR.toNanos()) {
            return cached.keys();
        }
        return remember(tenant, RING.parse(secrets.getOrCreate(tenant, SECRET_NAME, RING::initial)));
    }

    /** Keeps the keys read; if another replica rotated meanwhile, the signers made from the old key go. */
    private List<StoredKey> remember(String tenant, List<StoredKey> keys) {
        Cached previous = cache.put(tenant, new Cached(keys, System.nanoTime()));
        if (previous != null && !previous.keys().get(0).equals(keys.get(0))) {
            signers.remove(tenant);
            receiptSigners.remove(tenant);
            documentKeys.remove(tenant);
        }
        return keys;
    }

    /**
     * The next key becomes the signing key (a new one is made if the tenant has none yet) and a new next
     * key is published; the old signing key is dropped (commands it signed expire within the command
     * timeout, and devices keep the keys they pinned).
     *
     * @return the kid that signs from now on
     */
    public String rotate(String tenant) {
        keysOf(tenant);
        String json = secrets.update(tenant, SECRET_NAME, RING::rotated);
        List<StoredKey> rotated = remember(tenant, RING.parse(json));
        return rotated.get(0).kid();
    }
}
