package io.latchkey.cloud.pki;

import io.latchkey.protocol.Topic;
import java.math.BigInteger;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/** Revocations held in memory, per tenant; lost when the process stops. */
public final class InMemoryRevocationRegistry implements RevocationRegistry {
    private final Clock clock;
    private final Map<String, Map<String, RevokedCertificate>> byTenant = new LinkedHashMap<>();

    public InMemoryRevocationRegistry(Clock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    @Override
    public synchronized boolean revoke(String tenant, BigInteger serial, String deviceId, String reason) {
        Topic.requireTenantId(tenant);
        String key = RevokedCertificate.serialText(serial);
        Map<String, RevokedCertificate> revoked = byTenant.computeIfAbsent(tenant, t -> new LinkedHashMap<>());
        if (revoked.containsKey(key)) {
            return false;
        }
        revoked.put(key, new RevokedCertificate(key, deviceId, clock.instant(), reason));
        return true;
    }

    @Override
    public synchronized boolean isRevoked(String tenant, BigInteger serial) {
        return byTenant.getOrDefault(tenant, Map.of()).containsKey(RevokedCertificate.serialText(serial));
    }

    @Override
    public synchronized List<RevokedCertificate> revoked(String tenant) {
        return new ArrayList<>(byTenant.getOrDefault(tenant, Map.of()).values());
    }
}
