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
