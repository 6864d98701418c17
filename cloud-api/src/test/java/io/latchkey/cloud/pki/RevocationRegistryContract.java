package io.latchkey.cloud.pki;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

/** The behaviour every {@link RevocationRegistry} shares; each implementation's test extends it. */
public abstract class RevocationRegistryContract {
    protected static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-23T17:00:00Z"), ZoneOffset.UTC);
    protected static final BigInteger SERIAL = new BigInteger("1f2e3d4c5b6a79881f2e3d4c5b6a7988", 16);

    protected abstract RevocationRegistry registry();

    @Test
    void revokedSerial_isRevokedForItsTenantOnly() {
        RevocationRegistry registry = registry();

        assertThat(registry.revoke("acme", SERIAL, "dev-001", "decommissioned")).isTrue();

        assertThat(registry.isRevoked("acme", SERIAL)).isTrue();
        assertThat(registry.isRevoked("globex", SERIAL)).isFalse();
        assertThat(registry.isRevoked("acme", SERIAL.add(BigInteger.ONE))).isFalse();
    }

    @Test
    void revokingTwice_keepsTheFirstRecord() {
        RevocationRegistry registry = registry();
        registry.revoke("acme", SERIAL, "dev-001", "decommissioned");

        assertThat(registry.revoke("acme", SERIAL, "dev-001", "again")).isFalse();

        assertThat(registry.revoked("acme")).containsExactly(
                new RevokedCertificate(SERIAL.toString(16), "dev-001", CLOCK.instant(), "decommissioned"));
    }

    @Test
    void unknownTenant_hasNothingRevoked() {
        assertThat(registry().revoked("nobody")).isEmpty();
        assertThat(registry().isRevoked("nobody", SERIAL)).isFalse();
    }
}
