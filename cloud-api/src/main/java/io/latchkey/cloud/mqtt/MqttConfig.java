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
 * @param tlsPort     {@code latchkey.mqtt.tls-port}: the embedded broker's mutual-TLS port, where device
 *                    certificates are enforced; 0 picks a free one. Default 8883, or a free one when
 *                    {@code latchkey.mqtt.port} is 0 (tests and the demo ask for free ports)
 * @param allowPlainLoopback {@code latchkey.mqtt.allow-plain-loopback}: also run a plain TCP listener on
 *                    {@code port} for development (demo, simulator) where clients are not authenticated;
 *                    defaults to true only when {@code host} is a loopback address, and cannot be enabled
 *                    on any other address
 * @param publicHost  {@code latchkey.mqtt.public-host}: the host name devices are given in the
 *                    {@code ssl://} URL and that the broker's TLS certificate names; defaults to {@code host}
 * @param probeInterval {@code latchkey.mqtt.probe-interval}: how often the backend checks that its broker
 *                    session still delivers (a probe to itself); a probe not back within three intervals
 *                    renews the session. Default 10s
 */
@ConfigurationProperties("latchkey.mqtt")
public record MqttConfig(@Bindable(defaultValue = "true") boolean embedded,
                         @Bindable(defaultValue = "127.0.0.1") String host,
                         @Bindable(defaultValue = "1883") int port,
                         @Nullable String url,
                         @Bindable(defaultValue = "file") String persistence,
                         @Bindable(defaultValue = "latchkey-cloud") String clientId,
                         @Nullable Integer tlsPort,
                         @Nullable Boolean allowPlainLoopback,
                         @Nullable String publicHost,
                         @Bindable(defaultValue = "10s") java.time.Duration probeInterval) {
    private static final Set<String> PERSISTENCE = Set.of("file", "in-memory");

    /** True when the plain development listener runs beside the mutual-TLS one. */
    public boolean plainListener() {
        return Boolean.TRUE.equals(allowPlainLoopback);
    }

    /** The host devices are told to connect to over TLS. */
    public String deviceHost() {
        return publicHost != null ? publicHost : host;
    }

    static boolean isLoopback(String host) {
        if ("localhost".equalsIgnoreCase(host)) {
            return true;
        }
        if (!host.matches("[0-9.]+|[0-9a-fA-F:]*:[0-9a-fA-F:.]*")) {
            return false;
        }
        try {
            return java.net.InetAddress.getByName(host).isLoopbackAddress();
        } catch (java.net.UnknownHostException e) {
            return false;
        }
    }

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
        if (tlsPort == null) {
            tlsPort = port == 0 ? 0 : 8883;
        }
        if (tlsPort < 0 || tlsPort > 65535 || (tlsPort != 0 && tlsPort == port)) {
            throw new ConfigurationException("latchkey.mqtt.tls-port must be 0..65535 (0 = any free port) and differ from latchkey.mqtt.port, got "
                    + tlsPort);
        }
        boolean loopback = isLoopback(host);
        if (allowPlainLoopback == null) {
            allowPlainLoopback = loopback;
        } else if (allowPlainLoopback && !loopback) {
            throw new ConfigurationException("latchkey.mqtt.allow-plain-loopback=true needs latchkey.mqtt.host on a loopback address"
                    + " (plain clients are not authenticated), got '" + host + "'");
        }
        if (publicHost != null && publicHost.isBlank()) {
            publicHost = null;
        }
    }
}
