package io.latchkey.cloud.device;

import io.latchkey.cloud.ConflictException;
import io.latchkey.cloud.InvalidRequestException;
import io.latchkey.cloud.NotFoundException;
import io.latchkey.cloud.car.Car;
import io.latchkey.cloud.car.CarRegistry;
import io.latchkey.cloud.mqtt.MqttEndpoint;
import io.latchkey.cloud.mqtt.security.RevokedSessions;
import io.latchkey.cloud.pki.CsrSubjectMismatchException;
import io.latchkey.cloud.pki.DeviceCertificateAuthority;
import io.latchkey.cloud.pki.InvalidCsrException;
import io.latchkey.cloud.pki.IssuedDeviceCertificate;
import io.latchkey.cloud.pki.RevokedCertificate;
import io.latchkey.cloud.store.DocumentExistsException;
import io.latchkey.cloud.store.JsonCollection;
import io.latchkey.cloud.store.Stores;
import io.latchkey.cloud.store.VersionConflictException;
import io.latchkey.cloud.store.Versioned;
import io.latchkey.protocol.Ids;
import io.latchkey.protocol.Topic;
import io.latchkey.protocol.identity.RenewalRequest;
import jakarta.inject.Singleton;
import java.math.BigInteger;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Issues, revokes and verifies the identities of a tenant's devices. A device has at most one active
 * certificate, recorded in {@code device-identities/{deviceId}} with a conditional write, so two
 * installers provisioning the same device cannot both succeed.
 */
@Singleton
public class DeviceIdentities {
    static final String COLLECTION = "device-identities";
    private static final Logger LOG = LoggerFactory.getLogger(DeviceIdentities.class);

    private final DeviceAuthorities authorities;
    private final CarRegistry cars;
    private final Stores stores;
    private final MqttEndpoint mqtt;
    private final DeviceIdentityLog log;
    private final InstallReportVerifier reports;
    private final Clock clock;
    private final ActiveDeviceKeys keys;
    private final RenewalPolicy renewal;

    public DeviceIdentities(DeviceAuthorities authorities, CarRegistry cars, Stores stores, MqttEndpoint mqtt,
                            DeviceIdentityLog log, Clock clock, ActiveDeviceKeys keys, RenewalPolicy renewal) {
        this.keys = keys;
        this.renewal = renewal;
        this.authorities = authorities;
        this.cars = cars;
        this.stores = stores;
        this.mqtt = mqtt;
        this.log = log;
        this.clock = clock;
        this.reports = new InstallReportVerifier(authorities, clock);
    }

    /**
     * Issues the certificate of {@code deviceId} in {@code carId} for the key of {@code csrPem}.
     *
     * @throws NotFoundException       no car {@code carId} with that device in the tenant
     * @throws ConflictException       the device already has an active certificate
     * @throws InvalidRequestException the request is malformed, not EC P-256, or names another tenant or device
     */
    public IssuedDeviceCertificate issue(String tenant, String deviceId, String carId, String csrPem, String caller) {
        requireDeviceOfCar(tenant, deviceId, carId);
        JsonCollection<DeviceIdentityRecord> records = records(tenant);
        Optional<Versioned<DeviceIdentityRecord>> current = records.find(deviceId);
        if (current.isPresent() && current.get().value().active()) {
            throw new ConflictException("device " + deviceId + " already has an active certificate ("
                    + current.get().value().serial() + "); decommission it first");
        }
        DeviceCertificateAuthority ca = authorities.ensure(tenant);
        IssuedDeviceCertificate issued;
        try {
            issued = ca.issue(deviceId, carId, csrPem);
        } catch (CsrSubjectMismatchException e) {
            throw new InvalidRequestException("csr asks for another identity: " + e.getMessage());
        } catch (InvalidCsrException e) {
            throw new InvalidRequestException("csr " + e.getMessage());
        }
        Instant now = clock.instant();
        String serial = RevokedCertificate.serialText(issued.certificate().getSerialNumber());
        DeviceIdentityRecord record = new DeviceIdentityRecord(deviceId, carId, serial, now,
                issued.certificate().getNotAfter().toInstant(), caller, null, null, null, issued.certificatePem());
        try {
            if (current.isPresent()) {
                records.replace(deviceId, record, current.get().version());
            } else {
                records.create(deviceId, record);
            }
        } catch (VersionConflictException | DocumentExistsException e) {
            // Someone else provisioned this device meanwhile: the certificate just made is never handed out.
            authorities.revocations().revoke(tenant, issued.certificate().getSerialNumber(), deviceId, "superseded at issue");
            throw new ConflictException("device " + deviceId + " was provisioned by someone else just now");
        }
        keys.forget(tenant, deviceId);
        log.record(tenant, now, "certificate-issued", caller, deviceId, carId, serial, null);
        return issued;
    }

    /**
     * Revokes the device's active certificate and drops its broker session.
     *
     * @return the serials revoked by this call (empty if the device had no active certificate)
     * @throws NotFoundException the device has never had a certificate
     */
    public List<String> decommission(String tenant, String deviceId, String reason, String caller) {
        if (!Topic.isValidDeviceId(deviceId)) {
            throw new NotFoundException("unknown device");
        }
        if (reason == null || reason.isBlank() || reason.length() > 200) {
            throw new InvalidRequestException("reason is required (at most 200 characters)");
        }
        JsonCollection<DeviceIdentityRecord> records = records(tenant);
        DeviceIdentityRecord current = records.get(deviceId)
                .orElseThrow(() -> new NotFoundException("device " + deviceId + " has no certificate"));
        if (!current.active()) {
            return List.of();
        }
        Instant now = clock.instant();
        BigInteger serial = new BigInteger(current.serial(), 16);
        boolean wasConnected = dropSession(new RevokedSessions(authorities.revocations(), mqtt.sessions()), tenant, deviceId, serial, reason);
        records.upsert(deviceId, current, r -> r.serial().equals(current.serial()) && r.active() ? r.revoked(now, reason) : r);
        keys.forget(tenant, deviceId);
        log.record(tenant, now, "certificate-revoked", caller, deviceId, current.carId(), current.serial(),
                reason + (wasConnected ? "; live session dropped" : ""));
        return List.of(current.serial());
    }

    /**
     * Verifies a signed install report of the device and records it on the device's identity.
     *
     * @throws io.latchkey.cloud.ForbiddenException the certificate is not the device's active one, or revoked
     * @throws InvalidRequestException             malformed, or the signature does not verify
     */
    public Installation acceptInstallReport(String tenant, String deviceId, String payload, String signature, String certificatePem,
                                            String caller) {
        if (!Ids.isValid(deviceId)) {
            throw new NotFoundException("unknown device");
        }
        JsonCollection<DeviceIdentityRecord> records = records(tenant);
        DeviceIdentityRecord current = records.get(deviceId)
                .orElseThrow(() -> new NotFoundException("device " + deviceId + " has no certificate"));
        Installation installation = reports.verify(tenant, deviceId, current, payload, signature, certificatePem, clock.instant());
        records.upsert(deviceId, current, r -> r.serial().equals(current.serial()) ? r.installed(installation) : r);
        log.record(tenant, installation.receivedAt(), "install-report", caller, deviceId, current.carId(), current.serial(),
                installation.status() + (installation.failedChecks().isEmpty() ? ""
                        : ": " + installation.failedChecks().stream().map(Installation.FailedCheck::name).toList()));
        return installation;
    }

    /**
     * A device asks for a new certificate (docs/device-identity.md, "Renewal"). Issued only if the device has an active
     * certificate, the request names it ({@code serial}) and is signed by its key, that certificate is not revoked and
     * not expired for longer than the grace period, and the CSR asks for exactly this tenant and device, for a new key
     * unless the policy allows the same one. The new certificate is kept as pending: the old one stays the device's
     * identity until {@link #renewalInUse} (a request repeated with the same id gets the same certificate). Audited
     * either way.
     *
     * @throws RenewalRefusedException with the reason, nothing changed
     */
    public IssuedDeviceCertificate renew(String tenant, String deviceId, RenewalRequest request) {
        if (!Topic.isValidDeviceId(deviceId) || request.type() != RenewalRequest.Type.RENEW) {
            throw new RenewalRefusedException("not a renewal request of a device");
        }
        Instant now = clock.instant();
        JsonCollection<DeviceIdentityRecord> records = records(tenant);
        Versioned<DeviceIdentityRecord> found = records.find(deviceId).orElse(null);
        DeviceIdentityRecord current = found == null ? null : found.value();
        try {
            if (current == null || current.certificate() == null) {
                throw new RenewalRefusedException("device " + deviceId + " has no certificate on record: provision it");
            }
            if (!current.active()) {
                throw new RenewalRefusedException("the certificate of " + deviceId + " is revoked: provision it again");
            }
            DeviceCertificateAuthority ca = authorities.ensure(tenant);
            if (current.renewal() != null && current.renewal().requestId().equals(request.requestId())
                    && request.signedBy(io.latchkey.cloud.pki.Pem.certificate(current.certificate()).getPublicKey())) {
                // the device did not get the answer: the same certificate again
                return new IssuedDeviceCertificate(null, io.latchkey.cloud.pki.Pem.certificate(current.renewal().certificate()),
                        List.of(ca.certificate()));
            }
            if (!current.serial().equals(request.serial())) {
                throw new RenewalRefusedException("the request names certificate " + request.serial()
                        + ", not the device's active one");
            }
            BigInteger serial = new BigInteger(current.serial(), 16);
            if (authorities.revocations().isRevoked(tenant, serial)) {
                throw new RenewalRefusedException("the certificate " + current.serial() + " is revoked");
            }
            java.security.cert.X509Certificate held = io.latchkey.cloud.pki.Pem.certificate(current.certificate());
            if (now.isAfter(held.getNotAfter().toInstant().plus(renewal.grace()))) {
                throw new RenewalRefusedException("the certificate expired at " + held.getNotAfter().toInstant()
                        + ", longer ago than the grace period (" + renewal.grace() + "): provision the device again");
            }
            if (!request.signedBy(held.getPublicKey())) {
                throw new RenewalRefusedException("the request is not signed by the key of the device's certificate");
            }
            java.security.PublicKey requested;
            try {
                requested = io.latchkey.cloud.pki.DeviceCsr.parse(request.csr(), tenant, deviceId).publicKey();
            } catch (CsrSubjectMismatchException e) {
                throw new RenewalRefusedException("csr asks for another identity: " + e.getMessage());
            } catch (InvalidCsrException e) {
                throw new RenewalRefusedException("csr " + e.getMessage());
            }
            if (!renewal.allowSameKey() && java.util.Arrays.equals(requested.getEncoded(), held.getPublicKey().getEncoded())) {
                throw new RenewalRefusedException("a renewal must bring a new key (latchkey.devices.renewal.allow-same-key is off)");
            }
            IssuedDeviceCertificate issued = ca.issue(deviceId, current.carId(), request.csr());
            String newSerial = RevokedCertificate.serialText(issued.certificate().getSerialNumber());
            DeviceIdentityRecord.PendingRenewal pending = new DeviceIdentityRecord.PendingRenewal(request.requestId(), newSerial, now,
                    issued.certificate().getNotAfter().toInstant(), issued.certificatePem());
            try {
                records.replace(deviceId, current.renewing(pending), found.version());
            } catch (VersionConflictException e) {
                authorities.revocations().revoke(tenant, issued.certificate().getSerialNumber(), deviceId, "superseded at issue");
                throw new RenewalRefusedException("the device's identity changed meanwhile; ask again");
            }
            if (current.renewal() != null) {
                // an earlier renewal never taken into use is never valid
                authorities.revocations().revoke(tenant, new BigInteger(current.renewal().serial(), 16), deviceId, "superseded by a later renewal");
            }
            log.record(tenant, now, "certificate-renewed", "device:" + deviceId, deviceId, current.carId(), newSerial,
                    "replaces " + current.serial() + (now.isAfter(held.getNotAfter().toInstant()) ? " (expired; within the grace period)" : ""));
            return issued;
        } catch (RenewalRefusedException e) {
            log.record(tenant, now, "certificate-renewal", "device:" + deviceId, deviceId, current == null ? "-" : current.carId(),
                    request.serial(), e.getMessage(), io.latchkey.cloud.audit.AuditEntry.REFUSED);
            throw e;
        }
    }

    /**
     * The device connects with its renewed certificate: a request signed by the new certificate's key, naming it and the
     * renewal it was issued for. The renewed certificate becomes the active one and the old one is revoked (into the
     * CRL; the broker refuses it from now on). Audited.
     *
     * @return the serial revoked
     * @throws RenewalRefusedException no such pending renewal, or not signed by its key
     */
    public String renewalInUse(String tenant, String deviceId, RenewalRequest request) {
        if (!Topic.isValidDeviceId(deviceId) || request.type() != RenewalRequest.Type.IN_USE) {
            throw new RenewalRefusedException("not a renewal confirmation of a device");
        }
        JsonCollection<DeviceIdentityRecord> records = records(tenant);
        Versioned<DeviceIdentityRecord> found = records.find(deviceId).orElse(null);
        DeviceIdentityRecord current = found == null ? null : found.value();
        DeviceIdentityRecord.PendingRenewal pending = current == null ? null : current.renewal();
        String refusal = null;
        if (current == null || !current.active() || pending == null || !pending.requestId().equals(request.requestId())
                || !pending.serial().equals(request.serial())) {
            refusal = "no pending renewal " + request.requestId() + " for certificate " + request.serial();
        } else if (!request.signedBy(io.latchkey.cloud.pki.Pem.certificate(pending.certificate()).getPublicKey())) {
            refusal = "the confirmation is not signed by the renewed certificate's key";
        }
        if (refusal != null) {
            log.record(tenant, clock.instant(), "certificate-renewal", "device:" + deviceId, deviceId, current == null ? "-" : current.carId(),
                    request.serial(), refusal, io.latchkey.cloud.audit.AuditEntry.REFUSED);
            throw new RenewalRefusedException(refusal);
        }
        Instant now = clock.instant();
        try {
            records.replace(deviceId, current.renewed(), found.version());
        } catch (VersionConflictException e) {
            throw new RenewalRefusedException("the device's identity changed meanwhile");
        }
        authorities.revocations().revoke(tenant, new BigInteger(current.serial(), 16), deviceId, "superseded by renewal " + pending.serial());
        keys.forget(tenant, deviceId);
        log.record(tenant, now, "certificate-revoked", "device:" + deviceId, deviceId, current.carId(), current.serial(),
                "superseded by renewal " + pending.serial() + ", now in use");
        return current.serial();
    }

    /** The install state of the device fitted in {@code car}, if it has ever reported one with its current certificate. */
    public Optional<Installation> installation(String tenant, Car car) {
        return records(tenant).get(car.deviceId())
                .filter(r -> r.carId().equals(car.id()))
                .map(DeviceIdentityRecord::installation);
    }

    /**
     * The public key of the device's certificate (SubjectPublicKeyInfo, DER), if it has an active one that has not
     * expired and is not revoked: what an offline key credential names as {@code devicePublicKey}.
     */
    public Optional<byte[]> activePublicKeyInfo(String tenant, String deviceId) {
        if (keys.activeKey(tenant, deviceId).isEmpty()) {
            return Optional.empty();
        }
        return find(tenant, deviceId).filter(r -> r.active() && r.certificate() != null)
                .map(r -> io.latchkey.cloud.pki.Pem.certificate(r.certificate()).getPublicKey().getEncoded());
    }

    public Optional<DeviceIdentityRecord> find(String tenant, String deviceId) {
        return Topic.isValidDeviceId(deviceId) ? records(tenant).get(deviceId) : Optional.empty();
    }

    private void requireDeviceOfCar(String tenant, String deviceId, String carId) {
        if (!Topic.isValidDeviceId(deviceId)) {
            throw new NotFoundException("unknown device");
        }
        if (!Ids.isValid(carId)) {
            throw new InvalidRequestException(Ids.isRequiredAndMustMatch("carId"));
        }
        Car car = cars.find(tenant, carId).orElseThrow(() -> new NotFoundException("unknown car " + carId));
        if (!deviceId.equals(car.deviceId())) {
            throw new NotFoundException("car " + carId + " is registered with another device, not " + deviceId);
        }
    }

    private boolean dropSession(RevokedSessions sessions, String tenant, String deviceId, BigInteger serial, String reason) {
        try {
            return sessions.revoke(tenant, deviceId, serial, reason).get(10, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            // Revoked all the same: the broker refuses the certificate at its next connection.
            LOG.warn("certificate of {}/{} revoked, but its session could not be dropped: {}", tenant, deviceId, e.toString());
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private JsonCollection<DeviceIdentityRecord> records(String tenant) {
        return new JsonCollection<>(stores.tenant(tenant), COLLECTION, DeviceIdentityRecord.class);
    }
}
