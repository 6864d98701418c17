package io.latchkey.cloud.pki;

import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.spec.ECGenParameterSpec;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;

/** Builds PKCS#10 requests the way a device does, and the ways an attacker might. */
public final class TestCsrs {
    private TestCsrs() {
    }

    public static KeyPair ec(String curve) {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec(curve));
            return generator.generateKeyPair();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    public static KeyPair p256() {
        return ec("secp256r1");
    }

    public static KeyPair rsa() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            return generator.generateKeyPair();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    public static String csr(String subject, KeyPair keys) {
        return csr(subject, keys.getPublic(), keys.getPrivate());
    }

    /** A request for {@code publicKey} signed with {@code signingKey}: they differ when the sender does not hold the key. */
    public static String csr(String subject, PublicKey publicKey, PrivateKey signingKey) {
        try {
            String algorithm = signingKey.getAlgorithm().equals("RSA") ? "SHA256withRSA" : "SHA256withECDSA";
            PKCS10CertificationRequest request = new JcaPKCS10CertificationRequestBuilder(new X500Name(subject), publicKey)
                    .build(new JcaContentSignerBuilder(algorithm).build(signingKey));
            return Pem.encode(request);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
