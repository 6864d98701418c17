package io.latchkey.cloud.device;

import java.time.Instant;

/**
 * The certificate a device holds, kept in the tenant's store as {@code device-identities/{deviceId}}:
 * the active one, or the last one once revoked. A device has at most one active certificate.
 *
 * @param serial       the certificate's serial number, lower-case hex
 * @param installation the last verified install report, null before the first
 * @param certificate  the certificate itself (PEM): its key verifies the device's acknowledgements and connect
 *                     tokens. Records written before it was kept have none: such a device must be provisioned again.
 */
public record DeviceIdentityRecord(String deviceId, String carId, String serial, Instant issuedAt, Instant notAfter,
                                   String issuedBy, Instant revokedAt, String revokedReason, Installation installation,
                                   String certificate) {
    public boolean active() {
        return revokedAt == null;
    }

    DeviceIdentityRecord revoked(Instant at, String reason) {
        return new DeviceIdentityRecord(deviceId, carId, serial, issuedAt, notAfter, issuedBy, at, reason, installation, certificate);
    }

    DeviceIdentityRecord installed(Installation report) {
        return new DeviceIdentityRecord(deviceId, carId, serial, issuedAt, notAfter, issuedBy, revokedAt, revokedReason, report, certificate);
    }
}
