package io.latchkey.agent.mqtt;

import java.time.Duration;

/**
 * Where and as whom a device connects: its identity (the topics it may use), the broker's address, the
 * TLS material from provisioning ({@code null} for none) and how long the broker keeps its session.
 *
 * @param usesTls whether the broker URL asks for TLS ({@code ssl://}), with or without a device certificate
 */
public record BrokerEndpoint(String tenant, String deviceId, String host, int port, boolean usesTls, MqttTls tls,
                             Duration sessionExpiry) {
}
