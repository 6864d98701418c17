package io.latchkey.cloud.mqtt.security;

import java.math.BigInteger;
import java.security.cert.X509Certificate;
import java.util.Optional;

/**
 * What the broker needs to know to trust a device certificate: the device CA of a tenant, and
 * whether a serial has been revoked. The backend answers from each tenant's secret store and
 * revocation list; {@link RegisteredDeviceTrust} keeps them in memory.
 */
public interface DeviceTrust {
    /** The tenant's device CA certificate, empty for an unknown tenant. */
    Optional<X509Certificate> deviceCa(String tenant);

    boolean isRevoked(String tenant, BigInteger serial);
}
