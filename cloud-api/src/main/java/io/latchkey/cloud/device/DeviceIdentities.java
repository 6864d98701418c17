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

    public DeviceIdentities(DeviceAuthorities authorities, CarRegistry cars, Stores stores, MqttEndpoint mqtt,
                            DeviceIdentityLog log, Clock clock, ActiveDeviceKeys keys) {
        this.keys = keys;
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
