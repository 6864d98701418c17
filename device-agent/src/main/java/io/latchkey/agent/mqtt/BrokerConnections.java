package io.latchkey.agent.mqtt;

/**
 * Makes the broker connection of the configured {@link MqttClientKind}. Each implementation is named in
 * its own branch only, so the JVM loads (and the package must carry) only the library in use.
 */
public final class BrokerConnections {
    private BrokerConnections() {
    }

    /**
     * @param hiveMqExecutors a {@code com.hivemq.client.mqtt.MqttClientExecutorConfig} shared by a fleet, or null;
     *                        typed {@code Object} so that this class does not need the HiveMQ client to load
     */
    public static BrokerConnection create(MqttClientKind kind, BrokerEndpoint endpoint, byte[] willPayload,
                                          ReconnectBackoff backoff, Object hiveMqExecutors) {
        return switch (kind.requireInstalled()) {
            case PAHO -> new PahoBrokerConnection(endpoint, willPayload, backoff);
            case HIVEMQ -> new HiveMqBrokerConnection(endpoint, willPayload,
                    (com.hivemq.client.mqtt.MqttClientExecutorConfig) hiveMqExecutors, backoff);
        };
    }
}
