package io.latchkey.cloud.it;

import io.latchkey.protocol.command.AckSigner;
import io.latchkey.protocol.device.ConnectToken;
import io.latchkey.protocol.device.DeviceSigner;
import java.io.StringWriter;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import javax.security.auth.x500.X500Principal;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;

/**
 * A test device's key and the certificate its tenant's device CA issued for it through the real enrolment
 * route, as provisioning gets one: what it signs its answers and connect tokens with.
 */
public record DeviceCredentials(String tenant, String deviceId, KeyPair key, String certificatePem) {
    private static final SecureRandom RANDOM = new SecureRandom();

    public static KeyPair newKey() {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
            g.initialize(new ECGenParameterSpec("secp256r1"));
            return g.generateKeyPair();
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A PKCS#10 request for {@code CN={deviceId}, O={tenant}}, PEM. */
    public static String csr(String tenant, String deviceId, KeyPair key) {
        try {
            var request = new JcaPKCS10CertificationRequestBuilder(new X500Principal("CN=" + deviceId + ", O=" + tenant), key.getPublic())
                    .build(new JcaContentSignerBuilder("SHA256withECDSA").build(key.getPrivate()));
            StringWriter out = new StringWriter();
            try (JcaPEMWriter pem = new JcaPEMWriter(out)) {
                pem.writeObject(request);
            }
            return out.toString();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    public DeviceSigner signer() {
        return new DeviceSigner(key.getPrivate());
    }

    public AckSigner ackSigner() {
        return new AckSigner(tenant, deviceId, signer());
    }

    /** A fresh connect token for the plain listener. */
    public byte[] connectPassword(Instant now) {
        byte[] nonce = new byte[18];
        RANDOM.nextBytes(nonce);
        return ConnectToken.bytes(ConnectToken.issue(tenant, deviceId, now, nonce, signer()));
    }
}
