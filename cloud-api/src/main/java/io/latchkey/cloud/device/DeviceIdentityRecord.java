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
 * @param renewal      a renewed certificate issued but not yet seen in use (docs/device-identity.md, "Renewal"), or null:
 *                     the active one above stays the device's identity until the device proves it uses the new one
 */
public record DeviceIdentityRecord(String deviceId, String carId, String serial, Instant issuedAt, Instant notAfter,
                                   String issuedBy, Instant revokedAt, String revokedReason, Installation installation,
                                   String certificate, PendingRenewal renewal) {
    /** A renewal's certificate, issued for {@code requestId}, waiting for the device's word that it is in use. */
    public record PendingRenewal(String requestId, String serial, Instant issuedAt, Instant notAfter, String certificate) {
    }

    public DeviceIdentityRecord(String deviceId, String carId, String serial, Instant issuedAt, Instant notAfter,
                                String issuedBy, Instant revokedAt, String revokedReason, Installation installation,
                                String certificate) {
        this(deviceId, carId, serial, issuedAt, notAfter, issuedBy, revokedAt, revokedReason, installation, certificate, null);
    }

    public boolean active() {
        return revokedAt == null;
    }

    DeviceIdentityRecord revoked(Instant at, String reason) {
        return new DeviceIdentityRecord(deviceId, carId, serial, issuedAt, notAfter, issuedBy, at, reason, installation, certificate, renewal);
    }

    DeviceIdentityRecord installed(Installation report) {
        return new DeviceIdentityRecord(deviceId, carId, serial, issuedAt, notAfter, issuedBy, revokedAt, revokedReason, report, certificate,
                renewal);
    }

    DeviceIdentityRecord renewing(PendingRenewal pending) {
        return new DeviceIdentityRecord(deviceId, carId, serial, issuedAt, notAfter, issuedBy, revokedAt, revokedReason, installation,
                certificate, pending);
    }

    /** The renewed certificate becomes the active one (the install report stays: same device, same installation). */
    DeviceIdentityRecord renewed() {
        return new DeviceIdentityRecord(deviceId, carId, renewal.serial(), renewal.issuedAt(), renewal.notAfter(), "device",
                null, null, installation, renewal.certificate(), null);
    }
}
