package io.latchkey.cloud.pki;

import java.math.BigInteger;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.Objects;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A self-signed EC P-256 certificate authority: the key pair and certificate a tenant's device CA or
 * the platform CA is made of. It persists as two PEM texts ({@link #certificatePem()},
 * {@link #privateKeyPem()}) that belong in the owner's secret store, never in a data store.
 */
public final class CertificateAuthority {
    /** Device clocks may lag; certificates are valid from a little before they are issued. */
    static final Duration BACKDATE = Duration.ofMinutes(5);
    public static final Duration DEFAULT_CA_VALIDITY = Duration.ofDays(3650);

    private final PrivateKey privateKey;
    private final X509Certificate certificate;
    private final Clock clock;
    private final SecureRandom random;

    private CertificateAuthority(PrivateKey privateKey, X509Certificate certificate, Clock clock, SecureRandom random) {
        this.privateKey = Objects.requireNonNull(privateKey, "privateKey");
        this.certificate = Objects.requireNonNull(certificate, "certificate");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.random = Objects.requireNonNull(random, "random");
    }

    /** Generates a new key pair and a self-signed CA certificate for {@code subject}. */
    public static CertificateAuthority create(X500Name subject, Duration validity, Clock clock, SecureRandom random) {
        KeyPair keys = EcKeys.generate(random);
        Instant now = clock.instant();
        try {
            JcaX509ExtensionUtils utils = new JcaX509ExtensionUtils();
            X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(subject, serial(random),
                    Date.from(now.minus(BACKDATE)), Date.from(now.plus(validity)), subject, keys.getPublic())
                    .addExtension(Extension.basicConstraints, true, new BasicConstraints(0))
                    .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign))
                    .addExtension(Extension.subjectKeyIdentifier, false, utils.createSubjectKeyIdentifier(keys.getPublic()));
            return new CertificateAuthority(keys.getPrivate(), sign(builder, keys.getPrivate()), clock, random);
        } catch (CertIOException | java.security.NoSuchAlgorithmException e) {
            throw new PkiException("cannot build CA certificate for " + subject, e);
        }
    }

    /** Restores an authority from the PEM texts it was saved as. */
    public static CertificateAuthority load(String certificatePem, String privateKeyPem, Clock clock, SecureRandom random) {
        X509Certificate certificate = Pem.certificate(certificatePem);
        PrivateKey key = Pem.ecPrivateKey(privateKeyPem);
        CertificateAuthority ca = new CertificateAuthority(key, certificate, clock, random);
        ca.requireKeyMatchesCertificate();
        return ca;
    }

    public X509Certificate certificate() {
        return certificate;
    }

    public String certificatePem() {
        return Pem.encode(certificate);
    }

    /** PKCS#8 PEM. Secret: store it only where the owner's other signing keys live. */
    public String privateKeyPem() {
        return Pem.encode(privateKey);
    }

    Clock clock() {
        return clock;
    }

    SecureRandom random() {
        return random;
    }

    /** Issues an end-entity certificate with a random 128-bit serial. */
    X509Certificate issue(LeafProfile leaf) {
        Instant now = clock.instant();
        Instant notAfter = now.plus(leaf.validity());
        if (notAfter.isAfter(certificate.getNotAfter().toInstant())) {
            notAfter = certificate.getNotAfter().toInstant();
        }
        try {
            JcaX509ExtensionUtils utils = new JcaX509ExtensionUtils();
            X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(certificate, serial(random),
                    Date.from(now.minus(BACKDATE)), Date.from(notAfter), leaf.subject(), leaf.publicKey())
                    .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
                    .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature))
                    .addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(leaf.purpose()))
                    .addExtension(Extension.subjectKeyIdentifier, false, utils.createSubjectKeyIdentifier(leaf.publicKey()))
                    .addExtension(Extension.authorityKeyIdentifier, false, utils.createAuthorityKeyIdentifier(certificate));
            if (!leaf.alternativeNames().isEmpty()) {
                builder.addExtension(Extension.subjectAlternativeName, false,
                        new GeneralNames(leaf.alternativeNames().toArray(GeneralName[]::new)));
            }
            return sign(builder, privateKey);
        } catch (CertIOException | java.security.NoSuchAlgorithmException | CertificateException e) {
            throw new PkiException("cannot issue certificate for " + leaf.subject(), e);
        }
    }

    /** An X.509 CRL of {@code revoked}, valid for {@code validity}, for brokers that check revocation themselves (Mosquitto's crlfile). */
    public java.security.cert.X509CRL crl(java.util.List<RevokedCertificate> revoked, Duration validity) {
        Instant now = clock.instant();
        try {
            org.bouncycastle.cert.X509v2CRLBuilder builder = new org.bouncycastle.cert.jcajce.JcaX509v2CRLBuilder(certificate, Date.from(now));
            builder.setNextUpdate(Date.from(now.plus(validity)));
            for (RevokedCertificate r : revoked) {
                builder.addCRLEntry(new BigInteger(r.serial(), 16), Date.from(r.revokedAt()), org.bouncycastle.asn1.x509.CRLReason.cessationOfOperation);
            }
            builder.addExtension(Extension.authorityKeyIdentifier, false, new JcaX509ExtensionUtils().createAuthorityKeyIdentifier(certificate));
            return new org.bouncycastle.cert.jcajce.JcaX509CRLConverter()
                    .getCRL(builder.build(new JcaContentSignerBuilder(EcKeys.SIGNATURE).build(privateKey)));
        } catch (CertIOException | java.security.NoSuchAlgorithmException | CertificateException | java.security.cert.CRLException
                 | OperatorCreationException e) {
            throw new PkiException("cannot build the CRL of " + certificate.getSubjectX500Principal(), e);
        }
    }

    private void requireKeyMatchesCertificate() {
        try {
            X509Certificate probe = issue(new LeafProfile(new X500Name("CN=key-check"), certificate.getPublicKey(),
                    Duration.ofMinutes(1), org.bouncycastle.asn1.x509.KeyPurposeId.id_kp_clientAuth, java.util.List.of()));
            probe.verify(certificate.getPublicKey());
        } catch (java.security.GeneralSecurityException e) {
            throw new PkiException("the CA private key does not belong to the CA certificate " + certificate.getSubjectX500Principal(), e);
        }
    }

    private static X509Certificate sign(X509v3CertificateBuilder builder, PrivateKey key) {
        try {
            ContentSigner signer = new JcaContentSignerBuilder(EcKeys.SIGNATURE).build(key);
            return new JcaX509CertificateConverter().getCertificate(builder.build(signer));
        } catch (OperatorCreationException | CertificateException e) {
            throw new PkiException("cannot sign certificate", e);
        }
    }

    private static BigInteger serial(SecureRandom random) {
        BigInteger serial;
        do {
            serial = new BigInteger(128, random);
        } while (serial.signum() == 0);
        return serial;
    }
}
