package io.latchkey.cloud.device;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.latchkey.cloud.LatchkeyConfig;
import io.latchkey.cloud.mqtt.BrokerTrust;
import io.latchkey.cloud.mqtt.security.RegisteredDeviceTrust;
import io.latchkey.cloud.pki.CertificateAuthority;
import io.latchkey.cloud.pki.DeviceCertificateAuthority;
import io.latchkey.cloud.pki.FileRevocationRegistry;
import io.latchkey.cloud.pki.PkiException;
import io.latchkey.cloud.pki.PlatformCertificateAuthority;
import io.latchkey.cloud.pki.RevocationRegistry;
import io.latchkey.cloud.secrets.SecretStore;
import io.latchkey.cloud.store.Stores;
import io.latchkey.cloud.tenant.TenantKeys;
import io.latchkey.protocol.Json;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The certificate authorities of device identity: the platform CA (broker server certificate, the
 * backend's service identity) in the platform secret scope, and one device CA per tenant in that
 * tenant's scope, created with the tenant. Also the revocation registry and the broker's view of both
 * ({@link #trust()}), which learns each tenant CA as it is created or first loaded.
 */
@Singleton
public class DeviceAuthorities implements TenantKeys, BrokerTrust {
    static final String DEVICE_CA_SECRET = "device-ca";
    static final String PLATFORM_CA_SECRET = "platform-ca";
    private static final ObjectMapper MAPPER = Json.mapper();

    /** A CA as stored in a secret scope. */
    record StoredCa(String certificate, String privateKey) {
    }

    private final SecretStore secrets;
    private final Clock clock;
    private final SecureRandom random;
    private final PlatformCertificateAuthority platform;
    private final RevocationRegistry revocations;
    private final RegisteredDeviceTrust trust;
    private final Map<String, DeviceCertificateAuthority> tenants = new ConcurrentHashMap<>();
    private final List<Consumer<DeviceCertificateAuthority>> listeners = new CopyOnWriteArrayList<>();

    public DeviceAuthorities(SecretStore secrets, LatchkeyConfig config, Clock clock, SecureRandom random, Stores stores) {
        this.secrets = secrets;
        this.clock = clock;
        this.random = random;
        this.platform = new PlatformCertificateAuthority(load(SecretStore.PLATFORM, PLATFORM_CA_SECRET,
                () -> PlatformCertificateAuthority.create(clock, random).authority()));
        this.revocations = new StoredRevocations(stores, clock,
                new FileRevocationRegistry(config.dataDirPath().resolve("tenants"), clock), StoredRevocations.NOT_REVOKED_FOR);
        this.trust = new RegisteredDeviceTrust(revocations);
    }

    @Override
    public PlatformCertificateAuthority platform() {
        return platform;
    }

    public RevocationRegistry revocations() {
        return revocations;
    }

    /** Every tenant CA loaded so far, with revocations: what the broker checks device certificates against. */
    @Override
    public RegisteredDeviceTrust trust() {
        return trust;
    }

    /**
     * The device CA of {@code tenant}, created in its secret scope the first time (call it when the
     * tenant is created). Listeners hear of each CA the first time this process loads it.
     */
    @Override
    public void createFor(String tenant) {
        ensure(tenant);
    }

    @Override
    public DeviceCertificateAuthority ensure(String tenant) {
        DeviceCertificateAuthority known = tenants.get(tenant);
        if (known != null) {
            return known;
        }
        boolean[] added = {false};
        DeviceCertificateAuthority ca = tenants.computeIfAbsent(tenant, t -> {
            CertificateAuthority authority = load(t, DEVICE_CA_SECRET,
                    () -> DeviceCertificateAuthority.create(t, clock, random).authority());
            DeviceCertificateAuthority device = new DeviceCertificateAuthority(t, authority,
                    DeviceCertificateAuthority.DEFAULT_DEVICE_VALIDITY);
            trust.register(t, device.certificate());
            added[0] = true;
            return device;
        });
        if (added[0]) {
            listeners.forEach(l -> l.accept(ca));
        }
        return ca;
    }

    /** The platform CA and every tenant CA loaded so far: the broker's TLS trust store. */
    @Override
    public List<X509Certificate> trustedCas() {
        List<X509Certificate> all = new ArrayList<>();
        all.add(platform.certificate());
        tenants.values().forEach(ca -> all.add(ca.certificate()));
        return all;
    }

    /** Called with every tenant CA loaded after this call (a new tenant, or one first used). */
    @Override
    public void onNewAuthority(Consumer<DeviceCertificateAuthority> listener) {
        listeners.add(listener);
    }

    private CertificateAuthority load(String scope, String name, Supplier<CertificateAuthority> create) {
        String stored = secrets.getOrCreate(scope, name, () -> {
            CertificateAuthority ca = create.get();
            try {
                return MAPPER.writeValueAsString(new StoredCa(ca.certificatePem(), ca.privateKeyPem()));
            } catch (IOException e) {
                throw new PkiException("cannot encode the CA of " + scope, e);
            }
        });
        try {
            StoredCa ca = MAPPER.readValue(stored, StoredCa.class);
            return CertificateAuthority.load(ca.certificate(), ca.privateKey(), clock, random);
        } catch (IOException e) {
            throw new PkiException("stored CA '" + name + "' of " + scope + " does not parse", e);
        }
    }
}
