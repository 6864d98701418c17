package io.latchkey.cloud.pki;

import java.math.BigInteger;
import java.util.List;

/**
 * The device certificates a tenant has revoked. Revocation is permanent; revoking a serial twice
 * keeps the first record. Implementations: {@link InMemoryRevocationRegistry} (tests),
 * {@link FileRevocationRegistry} (one JSON file per tenant, read by one process; kept to import what earlier
 * versions stored) and {@code device.StoredRevocations} (the default: documents in the tenant's shared store).
 */
public interface RevocationRegistry {
    /** Records the revocation of {@code serial}; returns false if it was already revoked. */
    boolean revoke(String tenant, BigInteger serial, String deviceId, String reason);

    boolean isRevoked(String tenant, BigInteger serial);

    /** Every revocation of the tenant, oldest first. */
    List<RevokedCertificate> revoked(String tenant);
}
