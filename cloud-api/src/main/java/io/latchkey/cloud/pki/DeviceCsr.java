package io.latchkey.cloud.pki;

import java.security.PublicKey;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.sec.SECObjectIdentifiers;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x500.style.IETFUtils;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.operator.ContentVerifierProvider;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentVerifierProviderBuilder;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.bouncycastle.pkcs.PKCSException;

/**
 * A device's PKCS#10 request, checked: its signature verifies with the key it carries (the sender
 * holds the private key), the key is EC P-256, and its subject is exactly {@code CN={deviceId}, O={tenant}}.
 */
public final class DeviceCsr {
    private final PKCS10CertificationRequest request;
    private final PublicKey publicKey;

    private DeviceCsr(PKCS10CertificationRequest request, PublicKey publicKey) {
        this.request = request;
        this.publicKey = publicKey;
    }

    /**
     * Parses and checks a PEM request sent for {@code tenant}/{@code deviceId}.
     *
     * @throws InvalidCsrException         not PKCS#10, signature does not verify, or not an EC P-256 key
     * @throws CsrSubjectMismatchException the subject names another tenant or device, or has other attributes
     */
    public static DeviceCsr parse(String pem, String tenant, String deviceId) {
        PKCS10CertificationRequest request = Pem.csr(pem);
        requireP256(request.getSubjectPublicKeyInfo());
        requireProofOfPossession(request);
        requireSubject(request.getSubject(), tenant, deviceId);
        try {
            return new DeviceCsr(request, new JcaPEMKeyConverter().setProvider(Bc.PROVIDER).getPublicKey(request.getSubjectPublicKeyInfo()));
        } catch (java.io.IOException e) {
            throw new InvalidCsrException("csr public key is unreadable: " + e.getMessage(), e);
        }
    }

    public PublicKey publicKey() {
        return publicKey;
    }

    public X500Name subject() {
        return request.getSubject();
    }

    private static void requireP256(SubjectPublicKeyInfo info) {
        AlgorithmIdentifier algorithm = info.getAlgorithm();
        if (!X9ObjectIdentifiers.id_ecPublicKey.equals(algorithm.getAlgorithm())) {
            throw new InvalidCsrException("csr key must be EC P-256, got algorithm " + algorithm.getAlgorithm().getId());
        }
        if (!(algorithm.getParameters() instanceof ASN1ObjectIdentifier curve) || !SECObjectIdentifiers.secp256r1.equals(curve)) {
            throw new InvalidCsrException("csr key must be on the P-256 curve (secp256r1), got " + algorithm.getParameters());
        }
    }

    private static void requireProofOfPossession(PKCS10CertificationRequest request) {
        boolean valid;
        try {
            ContentVerifierProvider verifier = new JcaContentVerifierProviderBuilder().setProvider(Bc.PROVIDER).build(request.getSubjectPublicKeyInfo());
            valid = request.isSignatureValid(verifier);
        } catch (OperatorCreationException | PKCSException e) {
            throw new InvalidCsrException("csr signature cannot be checked: " + e.getMessage(), e);
        }
        if (!valid) {
            throw new InvalidCsrException("csr signature does not verify with the key it carries: it was not signed by that key's holder");
        }
    }

    private static void requireSubject(X500Name subject, String tenant, String deviceId) {
        String expected = "CN=" + deviceId + ", O=" + tenant;
        RDN[] rdns = subject.getRDNs();
        String cn = single(subject, BCStyle.CN);
        String o = single(subject, BCStyle.O);
        if (rdns.length != 2 || cn == null || o == null) {
            throw new CsrSubjectMismatchException("csr subject must be exactly '" + expected + "', got '" + subject + "'");
        }
        if (!tenant.equals(o)) {
            throw new CsrSubjectMismatchException("csr asks for tenant '" + o + "' but was sent for tenant '" + tenant + "'");
        }
        if (!deviceId.equals(cn)) {
            throw new CsrSubjectMismatchException("csr asks for device '" + cn + "' but was sent for device '" + deviceId + "'");
        }
    }

    private static String single(X500Name name, ASN1ObjectIdentifier type) {
        RDN[] rdns = name.getRDNs(type);
        if (rdns.length != 1 || rdns[0].isMultiValued()) {
            return null;
        }
        return IETFUtils.valueToString(rdns[0].getFirst().getValue());
    }
}
