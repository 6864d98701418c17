package io.latchkey.protocol.identity;

import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.Signature;
import java.util.Base64;
import org.bouncycastle.asn1.DERBitString;
import org.bouncycastle.asn1.DERSet;
import org.bouncycastle.asn1.pkcs.CertificationRequest;
import org.bouncycastle.asn1.pkcs.CertificationRequestInfo;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;

/**
 * A device's PKCS#10 request for {@code CN={deviceId}, O={tenant}}, signed SHA256withECDSA by the key it carries, built
 * with Bouncy Castle's ASN.1 classes and the JDK's signature (the agent has no PKIX library).
 */
public final class CertificateRequests {
    private CertificateRequests() {
    }

    public static String pem(KeyPair key, String tenant, String deviceId) {
        try {
            CertificationRequestInfo info = new CertificationRequestInfo(
                    new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.CN, deviceId).addRDN(BCStyle.O, tenant).build(),
                    SubjectPublicKeyInfo.getInstance(key.getPublic().getEncoded()), new DERSet());
            Signature signature = Signature.getInstance("SHA256withECDSA");
            signature.initSign(key.getPrivate());
            signature.update(info.getEncoded("DER"));
            CertificationRequest request = new CertificationRequest(info,
                    new AlgorithmIdentifier(X9ObjectIdentifiers.ecdsa_with_SHA256), new DERBitString(signature.sign()));
            return "-----BEGIN CERTIFICATE REQUEST-----\n"
                    + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(request.getEncoded("DER"))
                    + "\n-----END CERTIFICATE REQUEST-----\n";
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("cannot build a certificate request: " + e.getMessage(), e);
        }
    }
}
