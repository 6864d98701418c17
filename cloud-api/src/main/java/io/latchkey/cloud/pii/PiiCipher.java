package io.latchkey.cloud.pii;

import io.latchkey.cloud.secrets.SecretStore;
import io.latchkey.cloud.secrets.SecretStoreException;
import jakarta.inject.Singleton;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * The one place personal data (PII) is encrypted and decrypted, and the one place its keys are made and destroyed
 * (crypto-shredding). Key hierarchy, all in the tenant's own secret store ({@link SecretStore}):
 * <ul>
 *   <li>{@value #TENANT_KEY}: the tenant's AES-256 key, which wraps every user key of the tenant;</li>
 *   <li>{@value #USER_KEY_PREFIX}{@code {userId}}: the user's AES-256 data key, wrapped (AES-GCM) by the tenant key
 *       with tenant and user id as authenticated data; destroyed by {@link #shred} when the account is terminated;</li>
 *   <li>{@value #INDEX_KEY}: the tenant's HMAC-SHA256 key for {@link #emailIndex}, so the e-mail index holds no
 *       e-mail and no unkeyed hash of one.</li>
 * </ul>
 * A sealed value is {@code pii1:} and base64 of IV ‖ AES-256-GCM ciphertext ‖ tag, with the record it belongs to
 * (tenant, user, and what it is, e.g. {@code users/u-1} or {@code outbox/m-1/to}) as authenticated data, so a
 * sealed value moved to another record or user does not open. The data stores (and every copy of them: backups,
 * blob versions, soft-deleted blobs) hold only sealed values; once the user key is destroyed, none of them opens.
 *
 * <p>Unwrapped user keys are cached for {@link #USER_KEY_FRESH_FOR} at most, so another replica's destruction of a
 * key takes effect here within that time (the account's own document is erased at once).
 */
@Singleton
public class PiiCipher {
    public static final String TENANT_KEY = "pii-tenant-key";
    public static final String INDEX_KEY = "pii-email-index-key";
    public static final String USER_KEY_PREFIX = "pii-user-key.";
    public static final Duration USER_KEY_FRESH_FOR = Duration.ofSeconds(30);
    static final String PREFIX = "pii1:";
    private static final int IV_BYTES = 12;
    private static final int TAG_BITS = 128;
    private static final int KEY_BYTES = 32;
    private static final int MAX_CACHED = 10_000;

    private record Cached(SecretKey key, Instant readAt) {
    }

    private final SecretStore secrets;
    private final SecureRandom random;
    private final Clock clock;
    private final Map<String, SecretKey> tenantKeys = new ConcurrentHashMap<>();
    private final Map<String, SecretKey> indexKeys = new ConcurrentHashMap<>();
    private final Map<String, Cached> userKeys = new ConcurrentHashMap<>();

    public PiiCipher(SecretStore secrets, SecureRandom random, Clock clock) {
        this.secrets = secrets;
        this.random = random;
        this.clock = clock;
    }

    /** Whether a stored value is sealed by this class (a value written before encryption at rest is not). */
    public static boolean isSealed(String value) {
        return value != null && value.startsWith(PREFIX);
    }

    /**
     * Seals {@code plaintext} under the user's data key, creating that key on first use.
     *
     * @param record what the value belongs to, e.g. {@code users/u-1}: authenticated, so it opens only there
     */
    public String seal(String tenant, String userId, String record, String plaintext) {
        SecretKey key = userKey(tenant, userId, true);
        try {
            byte[] iv = new byte[IV_BYTES];
            random.nextBytes(iv);
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, iv));
            cipher.updateAAD(aad("latchkey-pii:", tenant, userId, record));
            byte[] sealed = cipher.doFinal(plaintext.getBytes(StandardCharsets.UTF_8));
            return PREFIX + Base64.getEncoder().encodeToString(
                    ByteBuffer.allocate(IV_BYTES + sealed.length).put(iv).put(sealed).array());
        } catch (GeneralSecurityException e) {
            throw new PiiKeyException("cannot seal personal data of user " + userId + " of " + tenant, e);
        }
    }

    /**
     * Opens a value {@link #seal} made for the same tenant, user and record.
     *
     * @throws PiiErasedException if the user's key was destroyed (the account was terminated: the value is erased)
     * @throws PiiKeyException    if the keys are missing from this secret store altogether, or do not open the value
     *                            (another key, another record, tampered with)
     */
    public String open(String tenant, String userId, String record, String sealed) {
        if (!isSealed(sealed)) {
            throw new PiiKeyException("personal data of user " + userId + " of " + tenant + " is not sealed", null);
        }
        SecretKey key = userKey(tenant, userId, false);
        try {
            byte[] all = Base64.getDecoder().decode(sealed.substring(PREFIX.length()));
            if (all.length < IV_BYTES + TAG_BITS / 8) {
                throw new GeneralSecurityException("sealed value too short");
            }
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, all, 0, IV_BYTES));
            cipher.updateAAD(aad("latchkey-pii:", tenant, userId, record));
            return new String(cipher.doFinal(all, IV_BYTES, all.length - IV_BYTES), StandardCharsets.UTF_8);
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new PiiKeyException("personal data of user " + userId + " of " + tenant
                    + " does not open with its data key (another key, or tampered with)", e);
        }
    }

    /**
     * The e-mail index's name for a normalised e-mail: hex HMAC-SHA256 under the tenant's index key. Without that
     * key (in the secret store, not the data store) an index entry tells nothing about the address.
     */
    public String emailIndex(String tenant, String normalEmail) {
        SecretKey key = indexKeys.computeIfAbsent(tenant, t -> new SecretKeySpec(
                decodeKey(t, INDEX_KEY, secrets.getOrCreate(t, INDEX_KEY, this::newKeyText)), "HmacSHA256"));
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            return HexFormat.of().formatHex(mac.doFinal(normalEmail.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }

    /**
     * Destroys the user's data key (account termination): every value sealed for that user, in the store and in
     * every copy of it, can never be opened again. Idempotent.
     *
     * @return whether a key was there and is now destroyed
     */
    public boolean shred(String tenant, String userId) {
        userKeys.remove(cacheKey(tenant, userId));
        boolean destroyed = secrets.delete(tenant, USER_KEY_PREFIX + userId);
        userKeys.remove(cacheKey(tenant, userId));
        return destroyed;
    }

    private SecretKey userKey(String tenant, String userId, boolean create) {
        String cacheKey = cacheKey(tenant, userId);
        Instant now = clock.instant();
        Cached cached = userKeys.get(cacheKey);
        if (cached != null && !now.isAfter(cached.readAt().plus(USER_KEY_FRESH_FOR))) {
            return cached.key();
        }
        String name = USER_KEY_PREFIX + userId;
        Optional<String> wrapped;
        try {
            if (create) {
                // the tenant key first: a generator must not call the secret store it is run by
                SecretKey tenantKey = tenantKey(tenant);
                wrapped = Optional.of(secrets.getOrCreate(tenant, name, () -> wrap(tenant, userId, tenantKey, newKey())));
            } else {
                wrapped = secrets.get(tenant, name);
            }
        } catch (SecretStoreException e) {
            throw new PiiKeyException("the data key of user " + userId + " of " + tenant + " cannot be read", e);
        }
        if (wrapped.isEmpty()) {
            throw missingKey(tenant, userId);
        }
        SecretKey key = unwrap(tenant, userId, wrapped.get());
        if (userKeys.size() >= MAX_CACHED) {
            userKeys.clear();
        }
        userKeys.put(cacheKey, new Cached(key, now));
        return key;
    }

    /**
     * A user key that is not there was destroyed if the tenant key it was wrapped with is there; with no tenant key
     * either, this is not the secret store the data was written with (a configuration error, not an erasure).
     */
    private PiiKeyException missingKey(String tenant, String userId) {
        if (tenantKeys.containsKey(tenant) || secrets.get(tenant, TENANT_KEY).isPresent()) {
            return new PiiErasedException("the personal data of user " + userId + " of " + tenant
                    + " is erased (its data key was destroyed when the account was terminated)");
        }
        return new PiiKeyException("the secret store holds no personal-data keys of " + tenant + " ("
                + TENANT_KEY + " is missing): it is not the store the data was written with", null);
    }

    private String wrap(String tenant, String userId, SecretKey tenantKey, byte[] dataKey) {
        try {
            byte[] iv = new byte[IV_BYTES];
            random.nextBytes(iv);
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, tenantKey, new GCMParameterSpec(TAG_BITS, iv));
            cipher.updateAAD(aad("latchkey-pii-user-key:", tenant, userId, ""));
            byte[] sealed = cipher.doFinal(dataKey);
            return "v1:" + Base64.getEncoder().encodeToString(
                    ByteBuffer.allocate(IV_BYTES + sealed.length).put(iv).put(sealed).array());
        } catch (GeneralSecurityException e) {
            throw new PiiKeyException("cannot wrap the data key of user " + userId + " of " + tenant, e);
        }
    }

    private SecretKey unwrap(String tenant, String userId, String wrapped) {
        try {
            if (!wrapped.startsWith("v1:")) {
                throw new GeneralSecurityException("unknown key format");
            }
            byte[] all = Base64.getDecoder().decode(wrapped.substring(3));
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, tenantKey(tenant), new GCMParameterSpec(TAG_BITS, all, 0, IV_BYTES));
            cipher.updateAAD(aad("latchkey-pii-user-key:", tenant, userId, ""));
            return new SecretKeySpec(cipher.doFinal(all, IV_BYTES, all.length - IV_BYTES), "AES");
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new PiiKeyException("the data key of user " + userId + " of " + tenant
                    + " does not open with the tenant key " + TENANT_KEY + " (another key, or tampered with)", e);
        }
    }

    private SecretKey tenantKey(String tenant) {
        return tenantKeys.computeIfAbsent(tenant, t -> new SecretKeySpec(
                decodeKey(t, TENANT_KEY, secrets.getOrCreate(t, TENANT_KEY, this::newKeyText)), "AES"));
    }

    private static byte[] decodeKey(String tenant, String name, String base64) {
        try {
            byte[] key = Base64.getDecoder().decode(base64);
            if (key.length == KEY_BYTES) {
                return key;
            }
        } catch (IllegalArgumentException e) {
            // reported below
        }
        throw new PiiKeyException("the secret " + name + " of " + tenant + " is not a 32-byte key in base64", null);
    }

    private byte[] newKey() {
        byte[] key = new byte[KEY_BYTES];
        random.nextBytes(key);
        return key;
    }

    private String newKeyText() {
        return Base64.getEncoder().encodeToString(newKey());
    }

    private static String cacheKey(String tenant, String userId) {
        return tenant + "/" + userId;
    }

    private static byte[] aad(String purpose, String tenant, String userId, String record) {
        return (purpose + tenant + "/" + userId + "/" + record).getBytes(StandardCharsets.UTF_8);
    }
}
