package io.latchkey.cloud.secrets;

import java.util.Optional;
import java.util.function.Supplier;

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
}
