package io.latchkey.agent.mqtt;

import java.time.Duration;

/**
 * Where and as whom a device connects: its identity (the topics it may use), the broker's address, the
 * TLS material from provisioning ({@code null} for none), how long the broker keeps its session, and the
 * credentials it proves its identity with on a listener without client certificates.
 *
 * @param usesTls     whether the broker URL asks for TLS ({@code ssl://}), with or without a device certificate
 * @param credentials the signed connect tokens, used when there is no client certificate to present
 */
public record BrokerEndpoint(String tenant, String deviceId, String host, int port, boolean usesTls, MqttTls tls,
                             Duration sessionExpiry, ConnectCredentials credentials) {
    /** Whether the device authenticates with a client certificate (mutual TLS) rather than a connect token. */
    public boolean mutualTls() {
        return usesTls && tls != null;
    }
}
