package io.latchkey.cloud.key;

import io.latchkey.protocol.key.KeyRight;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import java.time.Instant;
import java.util.Set;

/**
 * An offline key credential the tenant issued, as the backend keeps it (in its booking's {@link BookingKeys} document):
 * what it grants and to whom, and whether it was revoked. The holder's public key is kept only as its SHA-256
 * fingerprint (it is what the car needs, not the backend), and never leaves the backend.
 *
 * @param holderUserId the borrower, or a co-driver named on the booking
 * @param holderKeyFingerprint hex SHA-256 of the holder's 65-byte public point
 * @param parentKeyId  the borrower's key a co-driver's key was derived from, null for the borrower's own
 * @param revokedAt    when it was revoked, null while it is not
 * @param revokedBy    who revoked it (a user id, or {@code system} when its booking closed)
 */
@Serdeable
public record IssuedKey(String keyId, String bookingId, String carId, String deviceId, String holderUserId,
                        String holderKeyFingerprint, Set<KeyRight> rights, Instant notBefore, Instant notAfter,
                        Instant issuedAt, @Nullable String parentKeyId, @Nullable Instant revokedAt, @Nullable String revokedBy) {

    public boolean revoked() {
        return revokedAt != null;
    }

    /** Not revoked, and not past its {@code notAfter} at {@code now}: a car may still accept it. */
    public boolean live(Instant now) {
        return !revoked() && now.isBefore(notAfter);
    }

    IssuedKey revoke(Instant at, String by) {
        return revoked() ? this : new IssuedKey(keyId, bookingId, carId, deviceId, holderUserId, holderKeyFingerprint, rights,
                notBefore, notAfter, issuedAt, parentKeyId, at, by);
    }

    /** As the API shows it: everything but the holder key's fingerprint. */
    public View view() {
        return new View(keyId, bookingId, carId, holderUserId, rights, notBefore, notAfter, issuedAt, parentKeyId, revokedAt);
    }

    /** A key as listed (no key material). */
    @Serdeable
    public record View(String keyId, String bookingId, String carId, String holderUserId, Set<KeyRight> rights,
                       Instant notBefore, Instant notAfter, Instant issuedAt, @Nullable String parentKeyId,
                       @Nullable Instant revokedAt) {
    }
}
