package io.latchkey.cloud.mqtt.security;

import io.latchkey.cloud.pki.DeviceCertificateAuthority;
import io.latchkey.cloud.pki.IssuedDeviceCertificate;
import io.latchkey.cloud.pki.Pem;
import io.latchkey.cloud.pki.TlsIdentity;
import java.math.BigInteger;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Date;
import java.util.List;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;

/** Device identities made the honest way (CSR to a CA) and forged ones made with raw keys. */
final class TestPki {
    private TestPki() {
    }

    static KeyPair p256() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"));
            return generator.generateKeyPair();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** What provisioning does: a local key, a CSR, a certificate from the tenant's CA. */
    static TlsIdentity provision(DeviceCertificateAuthority ca, String deviceId, String carId) {
        KeyPair keys = p256();
        try {
            String csr = Pem.encode(new JcaPKCS10CertificationRequestBuilder(new X500Name("CN=" + deviceId + ",O=" + ca.tenant()), keys.getPublic())
                    .build(new JcaContentSignerBuilder("SHA256withECDSA").build(keys.getPrivate())));
            IssuedDeviceCertificate issued = ca.issue(deviceId, carId, csr);
            return new TlsIdentity(keys.getPrivate(), List.of(issued.certificate(), ca.certificate()));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** A certificate signed with {@code signer}'s key under whatever issuer name and URIs the attacker likes. */
    static TlsIdentity forge(X500Name issuer, PrivateKey signer, String subject, Instant notAfter, String... uris) {
        KeyPair keys = p256();
        try {
            GeneralName[] names = java.util.Arrays.stream(uris).map(u -> new GeneralName(GeneralName.uniformResourceIdentifier, u)).toArray(GeneralName[]::new);
            var builder = new JcaX509v3CertificateBuilder(issuer, BigInteger.valueOf(System.nanoTime()), Date.from(Instant.now().minus(1, ChronoUnit.HOURS)),
                    Date.from(notAfter), new X500Name(subject), keys.getPublic())
                    .addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_clientAuth))
                    .addExtension(Extension.subjectAlternativeName, false, new GeneralNames(names));
            X509Certificate cert = new JcaX509CertificateConverter()
                    .getCertificate(builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(signer)));
            return new TlsIdentity(keys.getPrivate(), List.of(cert));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static PrivateKey keyOf(DeviceCertificateAuthority ca) {
        return Pem.ecPrivateKey(ca.authority().privateKeyPem());
    }

    static X500Name nameOf(X509Certificate certificate) {
        return X500Name.getInstance(certificate.getSubjectX500Principal().getEncoded());
    }
}
