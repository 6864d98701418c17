package io.latchkey.cloud.device;

import io.latchkey.cloud.mqtt.security.DeviceKeys;
import io.latchkey.cloud.pki.RevocationRegistry;
import io.latchkey.cloud.store.JsonCollection;
import io.latchkey.cloud.store.SharedReads;
import io.latchkey.cloud.store.Stores;
import io.latchkey.protocol.Topic;
import jakarta.inject.Singleton;
import java.io.ByteArrayInputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.bouncycastle.crypto.params.ECPublicKeyParameters;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The keys of the devices' active certificates, parsed once and cached per device: a verification on the
 * unlock path costs the signature check, not a store read and a certificate parse. An entry is dropped
 * when this process issues or revokes the device's certificate, and re-read after {@link #TTL} so that a
 * revocation made by another replica takes effect here too. A revoked serial is refused on every lookup.
 */
@Singleton
public class ActiveDeviceKeys implements DeviceKeys {
    /** How long a cached key is trusted without re-reading the device's record (another replica may have revoked it). */
    static final Duration TTL = Duration.ofSeconds(60);
    private static final Logger LOG = LoggerFactory.getLogger(ActiveDeviceKeys.class);

    private record Entry(ECPublicKeyParameters key, BigInteger serial, Instant notAfter, Instant readAt) {
    }

    private final Stores stores;
    private final io.latchkey.cloud.tenant.TenantDirectory tenants;
    private final RevocationRegistry revocations;
    private final Clock clock;
    private final Map<String, Entry> cache = new ConcurrentHashMap<>();
    /** Reads under way, by device: a second lookup of the device meanwhile waits for that read instead of its own. */
    private final SharedReads<String, Optional<Entry>> reading = new SharedReads<>();

    public ActiveDeviceKeys(Stores stores, io.latchkey.cloud.tenant.TenantDirectory tenants, DeviceAuthorities authorities, Clock clock) {
        this.stores = stores;
        this.tenants = tenants;
        this.revocations = authorities.revocations();
        this.clock = clock;
    }

    @Override
    public Optional<ECPublicKeyParameters> activeKey(String tenant, String deviceId) {
        if (!Topic.isValidTenantId(tenant) || !Topic.isValidDeviceId(deviceId)) {
            return Optional.empty();
        }
        Instant now = clock.instant();
        String key = tenant + "/" + deviceId;
        Entry entry = cache.get(key);
        if (entry == null || now.isAfter(entry.readAt().plus(TTL))) {
            entry = readOnce(key, tenant, deviceId, now).orElse(null);
            if (entry == null) {
                return Optional.empty();
            }
        }
        if (!now.isBefore(entry.notAfter()) || revocations.isRevoked(tenant, entry.serial())) {
            return Optional.empty();
        }
        return Optional.of(entry.key());
    }

    /**
     * Reads the device's record into the cache, or waits for the read of it already under way (the command path
     * reads a car's key ahead while the command travels, and the car's answer then waits for that read instead of
     * sending a second one to the store).
     */
    private Optional<Entry> readOnce(String key, String tenant, String deviceId, Instant now) {
        return reading.read(key, () -> {
            Optional<Entry> read = read(tenant, deviceId, now);
            if (read.isPresent()) {
                cache.put(key, read.get());
            } else {
                cache.remove(key);
            }
            return read;
        });
    }

    /** The device's certificate changed here (issued, revoked): read it again next time. */
    void forget(String tenant, String deviceId) {
        cache.remove(tenant + "/" + deviceId);
    }

    private Optional<Entry> read(String tenant, String deviceId, Instant now) {
        if (!tenants.exists(tenant)) {
            return Optional.empty();
        }
        Optional<DeviceIdentityRecord> record =
                new JsonCollection<>(stores.tenant(tenant), DeviceIdentities.COLLECTION, DeviceIdentityRecord.class).get(deviceId);
        if (record.isEmpty() || !record.get().active() || record.get().certificate() == null) {
            return Optional.empty();
        }
        try {
            X509Certificate certificate = (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(
                    new ByteArrayInputStream(record.get().certificate().getBytes(StandardCharsets.US_ASCII)));
            return Optional.of(new Entry(io.latchkey.protocol.device.DeviceKeys.verification(certificate.getPublicKey()),
                    certificate.getSerialNumber(), certificate.getNotAfter().toInstant(), now));
        } catch (GeneralSecurityException | RuntimeException e) {
            LOG.warn("the certificate on record for {}/{} does not parse: {}", tenant, deviceId, e.toString());
            return Optional.empty();
        }
    }
}
