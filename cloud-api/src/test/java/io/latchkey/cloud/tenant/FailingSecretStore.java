package io.latchkey.cloud.tenant;

import io.latchkey.cloud.LatchkeyConfig;
import io.latchkey.cloud.secrets.FileSecretStore;
import io.latchkey.cloud.secrets.SecretStore;
import io.latchkey.cloud.secrets.SecretStoreException;
import io.micronaut.context.annotation.Replaces;
import io.micronaut.context.annotation.Requires;
import jakarta.inject.Singleton;
import java.security.SecureRandom;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

/**
 * The real file secret store, which can be told to fail once when a given secret is first created (a full
 * disk at that step). Active only with {@code test.secrets=failing}.
 */
@Singleton
@Replaces(SecretStore.class)
@Requires(property = "test.secrets", value = "failing")
public class FailingSecretStore implements SecretStore {
    private final FileSecretStore real;
    private final AtomicReference<String> failOnce = new AtomicReference<>();

    public FailingSecretStore(LatchkeyConfig config, SecureRandom random) {
        this.real = new FileSecretStore(config, random);
    }

    /** The next creation of {@code name} in {@code scope} throws, as a store with no space left would. */
    public void failNextCreation(String scope, String name) {
        failOnce.set(scope + "/" + name);
    }

    @Override
    public Optional<String> get(String scope, String name) {
        return real.get(scope, name);
    }

    @Override
    public String getOrCreate(String scope, String name, Supplier<String> generator) {
        return real.getOrCreate(scope, name, () -> {
            String key = scope + "/" + name;
            if (key.equals(failOnce.getAndUpdate(armed -> key.equals(armed) ? null : armed))) {
                throw new SecretStoreException("No space left on device (injected)", null);
            }
            return generator.get();
        });
    }

    @Override
    public String update(String scope, String name, UnaryOperator<String> change) {
        return real.update(scope, name, change);
    }

    @Override
    public boolean delete(String scope, String name) {
        return real.delete(scope, name);
    }
}
