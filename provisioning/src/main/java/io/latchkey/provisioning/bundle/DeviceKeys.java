package io.latchkey.provisioning.bundle;

import io.latchkey.provisioning.ExitCodes;
import io.latchkey.provisioning.ProvisioningException;
import java.io.IOException;
import java.io.StringWriter;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.spec.ECGenParameterSpec;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;

/**
 * The device's own key pair, generated here and never sent anywhere, and the PKCS#10 request that
 * proves possession of it to the tenant's device CA.
 */
public final class DeviceKeys {
    private final KeyPair keys;

    private DeviceKeys(KeyPair keys) {
        this.keys = keys;
    }

    public static DeviceKeys generate(SecureRandom random) {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"), random);
            return new DeviceKeys(generator.generateKeyPair());
        } catch (GeneralSecurityException e) {
            throw new ProvisioningException("this Java cannot generate EC P-256 keys: " + e.getMessage(),
                    "run the tool with a standard Java 17 (OpenJDK)", ExitCodes.LOCAL_FILES, e);
        }
    }

    public KeyPair keyPair() {
        return keys;
    }

    /** {@code CN={deviceId}, O={tenant}}, signed with the device key. */
    public String csrPem(String tenant, String deviceId) {
        X500Name subject = new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.CN, deviceId).addRDN(BCStyle.O, tenant).build();
        try {
            PKCS10CertificationRequest request = new JcaPKCS10CertificationRequestBuilder(subject, keys.getPublic())
                    .build(new JcaContentSignerBuilder("SHA256withECDSA").build(keys.getPrivate()));
            return pem(request);
        } catch (OperatorCreationException e) {
            throw new ProvisioningException("cannot sign the certificate request: " + e.getMessage(),
                    "run the tool with a standard Java 17 (OpenJDK)", ExitCodes.LOCAL_FILES, e);
        }
    }

    /** PKCS#8 PEM of the private key: goes only into the bundle, mode 0600. */
    public String privateKeyPem() {
        try {
            return pem(new JcaPKCS8Generator(keys.getPrivate(), null));
        } catch (org.bouncycastle.util.io.pem.PemGenerationException e) {
            throw new ProvisioningException("cannot encode the device key: " + e.getMessage(), "report this as a bug", ExitCodes.LOCAL_FILES, e);
        }
    }

    private static String pem(Object value) {
        StringWriter out = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(out)) {
            writer.writeObject(value);
        } catch (IOException e) {
            throw new ProvisioningException("cannot encode PEM: " + e.getMessage(), "report this as a bug", ExitCodes.LOCAL_FILES, e);
        }
        return out.toString();
    }
}
