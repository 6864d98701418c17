package io.latchkey.cloud.tenant;

import io.latchkey.cloud.secrets.SecretStore;
import io.latchkey.cloud.secrets.SecretStoreException;
import io.latchkey.cloud.store.DocumentExistsException;
import io.latchkey.cloud.store.Stores;
import io.latchkey.cloud.store.TenantStore;
import io.latchkey.cloud.store.VersionConflictException;
import io.latchkey.cloud.store.Versioned;
import io.micronaut.context.BeanProvider;
import io.micronaut.context.annotation.Requires;
import io.micronaut.context.annotation.Value;
import io.micronaut.context.exceptions.ConfigurationException;
import io.micronaut.core.annotation.Nullable;
import jakarta.inject.Singleton;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * The secret store that replicas share ({@code latchkey.secrets.type=store}): each secret is one document
 * {@code secrets/{name}} in its scope's own store (a tenant's storage account, or the platform's), its value
 * sealed with AES-256-GCM under the key-encryption key from configuration
 * ({@code latchkey.secrets.key-encryption-key}, 32 bytes in base64, the same on every replica), with scope and
 * name as authenticated data, so a sealed value copied to another scope or name does not open.
 *
 * <p>Writes are the store's conditional writes: of two replicas creating one secret, one value is stored and
 * both return it; an update is a compare-and-swap retried on conflict. Nothing is cached here, so every read
 * sees the latest value; callers that cache (signing and command keys) say for how long.
 *
 * <p>A storage account's own connection string cannot live inside that account:
 * {@value #STORAGE_CONNECTION_SECRET} is never found here (put it in configuration).
 */
@Singleton
@Requires(property = "latchkey.secrets.type", value = StoredSecretStore.TYPE)
public final class StoredSecretStore implements SecretStore {
    public static final String TYPE = "store";
    static final String COLLECTION = "secrets";
    static final String STORAGE_CONNECTION_SECRET = "azure-storage-connection-string";
    private static final int IV_BYTES = 12;
    private static final int TAG_BITS = 128;
    private static final int MAX_ATTEMPTS = 20;

    private final BeanProvider<Stores> stores;
    private final SecretKey kek;
    private final SecureRandom random;

    public StoredSecretStore(BeanProvider<Stores> stores,
                             @Nullable @Value("${latchkey.secrets.key-encryption-key:}") String keyEncryptionKey,
                             SecureRandom random) {
        this.stores = stores;
        this.kek = parseKey(keyEncryptionKey);
        this.random = random;
    }

    static SecretKey parseKey(String base64) {
        String setting = "latchkey.secrets.key-encryption-key";
        if (base64 == null || base64.isBlank()) {
            throw new ConfigurationException(setting + " is required when latchkey.secrets.type is store "
                    + "(32 random bytes in base64, e.g. `openssl rand -base64 32`, the same on every replica)");
        }
        byte[] key;
        try {
            key = Base64.getDecoder().decode(base64.strip());
        } catch (IllegalArgumentException e) {
            throw new ConfigurationException(setting + " is not base64");
        }
        if (key.length != 32) {
            throw new ConfigurationException(setting + " must be 32 bytes (base64 of 32 random bytes), got " + key.length);
        }
        return new SecretKeySpec(key, "AES");
    }

    @Override
    public Optional<String> get(String scope, String name) {
        if (STORAGE_CONNECTION_SECRET.equals(name)) {
            return Optional.empty();
        }
        return store(scope).read(COLLECTION, name).map(v -> open(scope, name, v.value()));
    }

    @Override
    public String getOrCreate(String scope, String name, Supplier<String> generator) {
        Optional<String> existing = get(scope, name);
        if (existing.isPresent()) {
            return existing.get();
        }
        requireStorable(name);
        String value = generator.get();
        try {
            store(scope).create(COLLECTION, name, seal(scope, name, value));
            return value;
        } catch (DocumentExistsException e) {
            // another replica created it first: everybody uses that one
            return get(scope, name).orElseThrow(() -> new SecretStoreException("secret " + name + " of " + scope
                    + " vanished while being created", e));
        }
    }

    @Override
    public String update(String scope, String name, UnaryOperator<String> change) {
        requireStorable(name);
        TenantStore store = store(scope);
        for (int attempt = 1; ; attempt++) {
            Versioned<byte[]> current = store.read(COLLECTION, name)
                    .orElseThrow(() -> new SecretStoreException("no secret " + name + " in " + scope, null));
            String value = change.apply(open(scope, name, current.value()));
            try {
                store.replace(COLLECTION, name, seal(scope, name, value), current.version());
                return value;
            } catch (VersionConflictException e) {
                if (attempt == MAX_ATTEMPTS) {
                    throw new SecretStoreException("secret " + name + " of " + scope + " keeps changing", e);
                }
            }
        }
    }

    /**
     * Deletes the secret's document. On a storage account with blob versioning or soft delete, the service
     * keeps the sealed earlier copy until their retention ends (docs/storage.md, "Personal data").
     */
    @Override
    public boolean delete(String scope, String name) {
        requireStorable(name);
        TenantStore store = store(scope);
        if (store.read(COLLECTION, name).isEmpty()) {
            return false;
        }
        store.delete(COLLECTION, name);
        return true;
    }

    private static void requireStorable(String name) {
        if (STORAGE_CONNECTION_SECRET.equals(name)) {
            throw new SecretStoreException("a storage account's connection string cannot be kept in that account; "
                    + "set it in configuration", null);
        }
    }

    private TenantStore store(String scope) {
        return PLATFORM.equals(scope) ? stores.get().platform() : stores.get().tenant(scope);
    }

    /** A JSON string holding base64(IV ‖ ciphertext ‖ tag): documents of the store are JSON. */
    private byte[] seal(String scope, String name, String value) {
        try {
            byte[] iv = new byte[IV_BYTES];
            random.nextBytes(iv);
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, kek, new GCMParameterSpec(TAG_BITS, iv));
            cipher.updateAAD(aad(scope, name));
            byte[] sealed = cipher.doFinal(value.getBytes(StandardCharsets.UTF_8));
            byte[] all = ByteBuffer.allocate(IV_BYTES + sealed.length).put(iv).put(sealed).array();
            return ("{\"kek\":\"aes256gcm\",\"sealed\":\"" + Base64.getEncoder().encodeToString(all) + "\"}")
                    .getBytes(StandardCharsets.UTF_8);
        } catch (GeneralSecurityException e) {
            throw new SecretStoreException("cannot seal secret " + name + " of " + scope, e);
        }
    }

    private String open(String scope, String name, byte[] document) {
        try {
            String json = new String(document, StandardCharsets.UTF_8);
            String marker = "\"sealed\":\"";
            int from = json.indexOf(marker);
            int to = from < 0 ? -1 : json.indexOf('"', from + marker.length());
            if (to < 0) {
                throw new GeneralSecurityException("not a sealed secret");
            }
            byte[] all = Base64.getDecoder().decode(json.substring(from + marker.length(), to));
            if (all.length < IV_BYTES + TAG_BITS / 8) {
                throw new GeneralSecurityException("sealed secret too short");
            }
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, kek, new GCMParameterSpec(TAG_BITS, all, 0, IV_BYTES));
            cipher.updateAAD(aad(scope, name));
            return new String(cipher.doFinal(all, IV_BYTES, all.length - IV_BYTES), StandardCharsets.UTF_8);
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new SecretStoreException("secret " + name + " of " + scope
                    + " does not open with this key-encryption key (another key, or tampered with)", e);
        }
    }

    private static byte[] aad(String scope, String name) {
        return ("latchkey-secret:" + scope + "/" + name).getBytes(StandardCharsets.UTF_8);
    }
}
