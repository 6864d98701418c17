package io.latchkey.cloud.mqtt.security;

import io.latchkey.cloud.pki.RevocationRegistry;
import io.latchkey.protocol.Topic;
import java.math.BigInteger;
import java.security.cert.X509Certificate;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** Device CAs registered as tenants are created or loaded, with revocations from a {@link RevocationRegistry}. */
public final class RegisteredDeviceTrust implements DeviceTrust {
    private final Map<String, X509Certificate> cas = new ConcurrentHashMap<>();
    private final RevocationRegistry revocations;

    public RegisteredDeviceTrust(RevocationRegistry revocations) {
        this.revocations = Objects.requireNonNull(revocations, "revocations");
    }

    public RegisteredDeviceTrust register(String tenant, X509Certificate deviceCa) {
        Topic.requireTenantId(tenant);
        cas.put(tenant, Objects.requireNonNull(deviceCa, "deviceCa"));
        return this;
    }

    @Override
    public Optional<X509Certificate> deviceCa(String tenant) {
        return Optional.ofNullable(cas.get(tenant));
    }

    @Override
    public boolean isRevoked(String tenant, BigInteger serial) {
        return revocations.isRevoked(tenant, serial);
    }
}
