package io.latchkey.simulator.api;

import io.latchkey.simulator.api.ApiTypes.CarDetail;
import io.latchkey.simulator.api.ApiTypes.CommandKey;
import io.latchkey.simulator.api.ApiTypes.IssuedCertificate;
import java.io.ByteArrayInputStream;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.spec.ECGenParameterSpec;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import javax.security.auth.x500.X500Principal;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;

/**
 * Gives simulated cars a device identity the way provisioning gives a real one: an EC P-256 key made here,
 * a PKCS#10 request for {@code CN={deviceId}, O={tenant}}, and the certificate the tenant's device CA issues
 * for it through {@code POST /t/{tenant}/devices/{deviceId}/certificate}. So the backend verifies a simulated
 * car's signed answers and connect tokens exactly as a real car's. Requests run {@value #PARALLEL} at a time
 * (a thousand cars take seconds, not minutes). A device that already holds an active certificate (a fleet
 * started again on the same backend) is decommissioned and enrolled anew: the old key is gone with the old run.
 */
public final class DeviceEnrolment {
    /**
     * What a car is given: its key, its certificate and the tenant's key-set signing keys it pins (as the
     * installer writes them into a real car's bundle), which verify the signed key sets the backend sends.
     */
    public record EnrolledDevice(String deviceId, PrivateKey key, X509Certificate certificate, List<CommandKey> keySetKeys) {
        public EnrolledDevice {
            keySetKeys = keySetKeys == null ? List.of() : List.copyOf(keySetKeys);
        }
    }

    static final int PARALLEL = 16;

    private final LatchkeyClient api;

    public DeviceEnrolment(LatchkeyClient api) {
        this.api = api;
    }

    /**
     * @param token an installer's or tenant-admin's token of {@code tenant}
     * @return by device id
     */
    public Map<String, EnrolledDevice> enrol(String token, String tenant, List<CarDetail> cars) {
        Map<String, EnrolledDevice> enrolled = new ConcurrentHashMap<>();
        ExecutorService pool = Executors.newFixedThreadPool(PARALLEL, r -> {
            Thread t = new Thread(r, "sim-enrol");
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<?>> tasks = new ArrayList<>();
            for (CarDetail car : cars) {
                tasks.add(pool.submit(() -> enrolled.put(car.deviceId(), enrol(token, tenant, car))));
            }
            for (Future<?> task : tasks) {
                task.get();
            }
            return Map.copyOf(enrolled);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while enrolling devices", e);
        } finally {
            pool.shutdownNow();
        }
    }

    private EnrolledDevice enrol(String token, String tenant, CarDetail car) {
        KeyPair key = newKey();
        String csr = csr(tenant, car.deviceId(), key);
        IssuedCertificate issued;
        try {
            issued = api.issueDeviceCertificate(token, tenant, car.deviceId(), car.id(), csr);
        } catch (ApiException e) {
            if (e.status() != 409) {
                throw e;
            }
            api.decommissionDevice(token, tenant, car.deviceId(), "simulator: enrolled again with a new key");
            issued = api.issueDeviceCertificate(token, tenant, car.deviceId(), car.id(), csr);
        }
        return new EnrolledDevice(car.deviceId(), key.getPrivate(), certificate(issued.certificate()), issued.keySetKeys());
    }

    private static KeyPair newKey() {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
            g.initialize(new ECGenParameterSpec("secp256r1"));
            return g.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this JVM cannot make EC P-256 keys", e);
        }
    }

    static String csr(String tenant, String deviceId, KeyPair key) {
        try {
            var request = new JcaPKCS10CertificationRequestBuilder(new X500Principal("CN=" + deviceId + ", O=" + tenant), key.getPublic())
                    .build(new JcaContentSignerBuilder("SHA256withECDSA").build(key.getPrivate()));
            StringWriter out = new StringWriter();
            try (JcaPEMWriter writer = new JcaPEMWriter(out)) {
                writer.writeObject(request);
            }
            return out.toString();
        } catch (OperatorCreationException | java.io.IOException e) {
            throw new IllegalStateException("cannot build a certificate request", e);
        }
    }

    private static X509Certificate certificate(String pem) {
        try {
            return (X509Certificate) CertificateFactory.getInstance("X.509")
                    .generateCertificate(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the backend issued an unreadable certificate", e);
        }
    }
}
