package io.latchkey.cloud.mqtt.security;

import io.latchkey.cloud.pki.RevocationRegistry;
import java.math.BigInteger;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/**
 * Revokes a device certificate and drops the device's live session, in that order: once the serial is
 * in the registry, a reconnect is refused at the handshake, so dropping the session cannot race with
 * the device coming straight back.
 */
public final class RevokedSessions {
    private final RevocationRegistry registry;
    private final SessionControl sessions;

    public RevokedSessions(RevocationRegistry registry, SessionControl sessions) {
        this.registry = Objects.requireNonNull(registry, "registry");
        this.sessions = Objects.requireNonNull(sessions, "sessions");
    }

    /** Completes with whether the device was connected when it was dropped. */
    public CompletableFuture<Boolean> revoke(String tenant, String deviceId, BigInteger serial, String reason) {
        registry.revoke(tenant, serial, deviceId, reason);
        return sessions.drop(MqttIdentity.deviceClientId(tenant, deviceId), "certificate revoked: " + reason);
    }
}
