package io.latchkey.cloud.secrets;

import java.util.Optional;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

/**
 * Secrets (signing keys, command keys) of one scope: a tenant id, or {@link #PLATFORM}. The embedded
 * default is {@link FileSecretStore}; a key-vault implementation (one vault per tenant) can replace it.
 * Values are never logged.
 */
public interface SecretStore {
    String PLATFORM = "platform";
    /** What a tenant id is followed by in the scope of that tenant's personal-data keys ({@link #piiScope}). */
    String PII_SCOPE_SUFFIX = ".pii";
    /** Where a store that keeps secrets as documents of the tenant's store keeps the {@link #piiScope} ones. */
    String PII_KEYS_COLLECTION = "pii-keys";

    /**
     * The scope of a tenant's personal-data keys ({@code pii.PiiCipher}), {@code {tenant}.pii}: apart from the
     * tenant's other secrets because a backup never copies it (a restore must not bring back the key of a user
     * terminated since the backup). The file store keeps it in {@code secrets/{tenant}.pii.enc}, the store secret
     * store in the tenant's {@value #PII_KEYS_COLLECTION} collection, a key vault under its own names.
     */
    static String piiScope(String tenant) {
        return tenant + PII_SCOPE_SUFFIX;
    }

    /** Whether {@code scope} is a {@link #piiScope}. */
    static boolean isPiiScope(String scope) {
        return scope != null && scope.endsWith(PII_SCOPE_SUFFIX);
    }

    Optional<String> get(String scope, String name);

    /**
     * The secret, created with {@code generator} and stored if it did not exist yet. Concurrent callers
     * of the same scope and name all see the one value that was stored.
     */
    String getOrCreate(String scope, String name, Supplier<String> generator);

    /**
     * Replaces an existing secret with {@code change} applied to its current value, atomically with respect
     * to other callers of this store (key rotation). A store whose secrets are managed elsewhere (a key
     * vault with its own rotation) may refuse.
     *
     * @return the stored new value
     * @throws SecretStoreException if the secret does not exist or cannot be written
     * @throws UnsupportedOperationException if this store cannot change secrets
     */
    default String update(String scope, String name, UnaryOperator<String> change) {
        throw new UnsupportedOperationException(getClass().getSimpleName() + " cannot change secrets");
    }

    /**
     * Destroys a secret for good (a user's personal-data key when the account is terminated): afterwards no
     * read of this store returns it. A store that keeps deleted secrets recoverable (a key vault's soft delete)
     * must purge it. Deleting a secret that does not exist changes nothing.
     *
     * @return whether a secret was there and is now destroyed
     * @throws SecretStoreException if it could not be destroyed
     * @throws UnsupportedOperationException if this store cannot destroy secrets
     */
    default boolean delete(String scope, String name) {
        throw new UnsupportedOperationException(getClass().getSimpleName() + " cannot destroy secrets");
    }
}
