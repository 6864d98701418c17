package io.latchkey.cloud.mqtt.security;

import com.hivemq.extension.sdk.api.client.parameter.ConnectionInformation;
import com.hivemq.extension.sdk.api.events.client.ClientLifecycleEventListener;
import com.hivemq.extension.sdk.api.events.client.parameters.AuthenticationSuccessfulInput;
import com.hivemq.extension.sdk.api.events.client.parameters.ConnectionStartInput;
import com.hivemq.extension.sdk.api.events.client.parameters.DisconnectEventInput;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Which listener each live connection came in on, by client id, so that a CONNECT on one listener cannot
 * take over a session that is live on the other (MQTT's rule is that the newer connection wins, which would
 * let a plain-listener client disconnect a car on mutual TLS, or the other way round). A takeover on the
 * same listener stays possible: that is how a device whose old connection is half-open gets back in.
 */
public final class ListenerSessions implements ClientLifecycleEventListener {
    private static final String CONNECTION_KEY = "io.latchkey.connection";

    /** client id -> (connection id -> listener name) */
    private final Map<String, Map<String, String>> live = new ConcurrentHashMap<>();

    /** The listener holding a live connection of {@code clientId} other than {@code listener}, if any. */
    public Optional<String> liveElsewhere(String clientId, String listener) {
        Map<String, String> connections = live.get(clientId);
        if (connections == null) {
            return Optional.empty();
        }
        return connections.values().stream().filter(l -> !l.equals(listener)).findFirst();
    }

    static String listenerOf(ConnectionInformation connection) {
        return connection.getListener().map(l -> l.getName()).orElse("");
    }

    @Override
    public void onMqttConnectionStart(ConnectionStartInput input) {
        // recorded once authenticated
    }

    @Override
    public void onAuthenticationSuccessful(AuthenticationSuccessfulInput input) {
        String connectionId = UUID.randomUUID().toString();
        input.getConnectionInformation().getConnectionAttributeStore().putAsString(CONNECTION_KEY, connectionId);
        live.computeIfAbsent(input.getClientInformation().getClientId(), id -> new ConcurrentHashMap<>())
                .put(connectionId, listenerOf(input.getConnectionInformation()));
    }

    @Override
    public void onDisconnect(DisconnectEventInput input) {
        String clientId = input.getClientInformation().getClientId();
        input.getConnectionInformation().getConnectionAttributeStore().getAsString(CONNECTION_KEY).ifPresent(connectionId ->
                live.computeIfPresent(clientId, (id, connections) -> {
                    connections.remove(connectionId);
                    return connections.isEmpty() ? null : connections;
                }));
    }
}
