package io.latchkey.cloud.mqtt.security;

import java.util.concurrent.CompletableFuture;

/** The part of the broker that can drop a client; HiveMQ's {@code ClientService} in production, a fake in tests. */
public interface SessionControl {
    /** Disconnects the client if connected and discards its persistent session; completes with whether it was connected. */
    CompletableFuture<Boolean> drop(String clientId, String reason);
}
