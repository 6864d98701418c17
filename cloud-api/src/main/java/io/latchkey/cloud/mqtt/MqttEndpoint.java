package io.latchkey.cloud.mqtt;

import io.latchkey.cloud.mqtt.security.SessionControl;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/** Where the broker is: the URL the backend connects to and that devices are told to use. */
public interface MqttEndpoint {
    /**
     * {@code tcp://host:port} (or {@code ssl://...}): what {@code /.well-known/latchkey-device} hands out.
     * For the embedded broker this is the plain development listener while it runs, else the mutual-TLS one.
     */
    String url();

    /** {@code ssl://host:port} where provisioned devices connect with their certificate; empty without TLS. */
    default Optional<String> deviceTlsUrl() {
        return url().startsWith("ssl://") ? Optional.of(url()) : Optional.empty();
    }

    /**
     * The mutual-TLS URL for the devices of one tenant. The same for every tenant on the embedded
     * broker; an external broker may give each tenant its own listener (Mosquitto: one per tenant CA).
     */
    default Optional<String> deviceTlsUrl(String tenant) {
        return deviceTlsUrl();
    }

    /** The URL the backend's own client connects to (with its service identity when it is {@code ssl://}). */
    default String backendUrl() {
        return url();
    }

    /**
     * Drops a client's live session. An external broker offers no such control here: the default does
     * nothing and answers false (Mosquitto only refuses the certificate at the next connection).
     */
    default SessionControl sessions() {
        return (clientId, reason) -> CompletableFuture.completedFuture(false);
    }
}
