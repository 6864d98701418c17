package io.latchkey.cloud;

/**
 * A bean that checks part of the configuration when the backend starts and throws
 * {@link io.micronaut.context.exceptions.ConfigurationException} naming the key of a bad value ({@link StartupChecks},
 * each feature's {@code *ConfigCheck}). The embedded broker is created after every one of them, so that a bad value
 * stops the start before a broker listens (and a test of a bad value starts no broker).
 */
public interface ConfigurationCheck {
}
