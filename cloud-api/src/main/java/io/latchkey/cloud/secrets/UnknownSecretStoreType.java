package io.latchkey.cloud.secrets;

import io.micronaut.context.annotation.Requires;
import io.micronaut.context.condition.Condition;
import io.micronaut.context.condition.ConditionContext;
import io.micronaut.context.exceptions.ConfigurationException;
import io.micronaut.core.value.PropertyResolver;
import jakarta.inject.Singleton;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The {@link SecretStore} bean when {@code latchkey.secrets.type} names no secret store: whichever bean asks for
 * secrets first makes it, and the start stops with a message naming the key instead of "no bean of type
 * SecretStore".
 */
@Singleton
@Requires(condition = UnknownSecretStoreType.Unknown.class)
public final class UnknownSecretStoreType implements SecretStore {
    public static final List<String> TYPES = List.of("file", "store", "keyvault");

    public UnknownSecretStoreType(io.micronaut.context.env.Environment environment) {
        throw new ConfigurationException("latchkey.secrets.type must be " + String.join(", ", TYPES.subList(0, 2)) + " or "
                + TYPES.get(2) + ", got '" + environment.getProperty("latchkey.secrets.type", String.class).orElse("") + "'");
    }

    @Override
    public Optional<String> get(String scope, String name) {
        throw new IllegalStateException("never constructed");
    }

    @Override
    public String getOrCreate(String scope, String name, Supplier<String> generator) {
        throw new IllegalStateException("never constructed");
    }

    /** True when the setting is present and is none of {@link #TYPES}. */
    public static final class Unknown implements Condition {
        @Override
        public boolean matches(ConditionContext context) {
            if (!(context.getBeanContext() instanceof PropertyResolver properties)) {
                return false;
            }
            return properties.getProperty("latchkey.secrets.type", String.class)
                    .map(type -> !TYPES.contains(type))
                    .orElse(false);
        }
    }
}
