package io.latchkey.cloud.mqtt;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.context.exceptions.ConfigurationException;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.bind.annotation.Bindable;
import java.util.Set;

/**
 * The broker: embedded (default) or external.
 *
 * @param embedded    {@code latchkey.mqtt.embedded}: start HiveMQ CE in this process
 * @param host        {@code latchkey.mqtt.host}: the embedded broker's bind address (loopback by default)
 * @param port        {@code latchkey.mqtt.port}: the embedded broker's TCP port; 0 picks a free one
 * @param url         {@code latchkey.mqtt.url}: the external broker, {@code tcp://host:port}, when not embedded
 * @param persistence {@code latchkey.mqtt.persistence}: {@code file} (sessions and retained messages
 *                    survive a restart) or {@code in-memory}
 * @param clientId    {@code latchkey.mqtt.client-id}: the backend's MQTT client id; unique per replica
 */
@ConfigurationProperties("latchkey.mqtt")
public record MqttConfig(@Bindable(defaultValue = "true") boolean embedded,
                         @Bindable(defaultValue = "127.0.0.1") String host,
                         @Bindable(defaultValue = "1883") int port,
                         @Nullable String url,
                         @Bindable(defaultValue = "file") String persistence,
                         @Bindable(defaultValue = "latchkey-cloud") String clientId) {
    private static final Set<String> PERSISTENCE = Set.of("file", "in-memory");

    public MqttConfig {
        if (port < 0 || port > 65535) {
            throw new ConfigurationException("latchkey.mqtt.port must be 0..65535 (0 = any free port), got " + port);
        }
        if (host == null || host.isBlank()) {
            throw new ConfigurationException("latchkey.mqtt.host must be a host name or address");
        }
        if (!PERSISTENCE.contains(persistence)) {
            throw new ConfigurationException("latchkey.mqtt.persistence must be one of " + PERSISTENCE + ", got '" + persistence + "'");
        }
        if (!embedded && (url == null || !(url.startsWith("tcp://") || url.startsWith("ssl://")))) {
            throw new ConfigurationException("latchkey.mqtt.url must be tcp://host:port or ssl://host:port when latchkey.mqtt.embedded is false, got '"
                    + url + "'");
        }
        if (clientId == null || !clientId.matches("[A-Za-z0-9_-]{1,64}")) {
            throw new ConfigurationException("latchkey.mqtt.client-id must be 1-64 letters, digits, '_' or '-', got '" + clientId + "'");
        }
    }
}
