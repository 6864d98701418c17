package io.latchkey.cloud.mqtt.security;

import com.hivemq.extension.sdk.api.packets.disconnect.DisconnectReasonCode;
import com.hivemq.extension.sdk.api.services.Services;
import java.util.concurrent.CompletableFuture;

/**
 * Drops sessions through HiveMQ's client service. Only usable once the broker has started the
 * extension, since {@link Services} is filled in by the broker.
 */
public final class HiveMqSessionControl implements SessionControl {
    @Override
    public CompletableFuture<Boolean> drop(String clientId, String reason) {
        var clients = Services.clientService();
        // The will is sent: the backend should see the car go offline like after any other disconnect.
        return clients.disconnectClient(clientId, false, DisconnectReasonCode.ADMINISTRATIVE_ACTION, reason)
                .thenCompose(wasConnected -> clients.invalidateSession(clientId).handle((ignored, error) -> wasConnected));
    }
}
