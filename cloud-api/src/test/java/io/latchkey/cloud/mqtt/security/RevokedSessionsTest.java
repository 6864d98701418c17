package io.latchkey.cloud.mqtt.security;

import static org.assertj.core.api.Assertions.assertThat;

import io.latchkey.cloud.pki.InMemoryRevocationRegistry;
import java.math.BigInteger;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class RevokedSessionsTest {
    private final InMemoryRevocationRegistry registry = new InMemoryRevocationRegistry(Clock.systemUTC());
    private final List<String> dropped = new ArrayList<>();

    @Test
    void revoke_recordsTheSerialBeforeDroppingTheDevicesSession() {
        BigInteger serial = BigInteger.valueOf(42);
        SessionControl sessions = (clientId, reason) -> {
            assertThat(registry.isRevoked("acme", serial)).as("revoked before the session is dropped").isTrue();
            dropped.add(clientId);
            return CompletableFuture.completedFuture(true);
        };

        boolean wasConnected = new RevokedSessions(registry, sessions).revoke("acme", "dev-001", serial, "decommissioned").join();

        assertThat(wasConnected).isTrue();
        assertThat(dropped).containsExactly("acme:dev-001");
    }
}
