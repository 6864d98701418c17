package io.latchkey.provisioning.bundle;

import io.latchkey.provisioning.ExitCodes;
import io.latchkey.provisioning.ProvisioningException;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import javax.security.auth.x500.X500Principal;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x500.style.IETFUtils;

/**
 * The certificate the backend returned, checked before anything is written: it must certify the key
 * generated here, name this tenant and device, and verify against the CA chain that came with it. A
 * backend (or anything in between) that answers otherwise is not trusted with the device.
 */
public record IssuedCertificate(X509Certificate certificate, List<X509Certificate> caChain) {
    public static IssuedCertificate check(String certificatePem, List<String> caChainPem, PublicKey devicePublicKey, String tenant, String deviceId) {
        X509Certificate certificate = parse(certificatePem, "certificate").get(0);
        List<X509Certificate> chain = new ArrayList<>();
        for (String pem : caChainPem) {
            chain.addAll(parse(pem, "caChain"));
        }
        if (chain.isEmpty()) {
            throw invalid("it sent no CA chain");
        }
        if (!certificate.getPublicKey().equals(devicePublicKey)) {
            throw invalid("the certificate is for another key than the one generated for this device");
        }
        if (!names(certificate.getSubjectX500Principal(), tenant, deviceId)) {
            throw invalid("the certificate names '" + certificate.getSubjectX500Principal() + "', expected CN=" + deviceId + ", O=" + tenant);
        }
        try {
            certificate.verify(chain.get(0).getPublicKey());
        } catch (GeneralSecurityException e) {
            throw invalid("the certificate does not verify against the CA chain sent with it");
        }
        return new IssuedCertificate(certificate, List.copyOf(chain));
    }

    /** Exactly CN={deviceId} and O={tenant}, in whichever order they were encoded. */
    private static boolean names(X500Principal subject, String tenant, String deviceId) {
        X500Name name = X500Name.getInstance(subject.getEncoded());
        return name.getRDNs().length == 2 && deviceId.equals(single(name, BCStyle.CN)) && tenant.equals(single(name, BCStyle.O));
    }

    private static String single(X500Name name, ASN1ObjectIdentifier type) {
        RDN[] rdns = name.getRDNs(type);
        return rdns.length == 1 && !rdns[0].isMultiValued() ? IETFUtils.valueToString(rdns[0].getFirst().getValue()) : null;
    }

    public String serialHex() {
        return certificate.getSerialNumber().toString(16);
    }

    private static List<X509Certificate> parse(String pem, String field) {
        if (pem == null || pem.isBlank()) {
            throw invalid(field + " is missing");
        }
        try {
            List<X509Certificate> result = new ArrayList<>();
            CertificateFactory.getInstance("X.509")
                    .generateCertificates(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)))
                    .forEach(c -> result.add((X509Certificate) c));
            if (result.isEmpty()) {
                throw invalid(field + " holds no certificate");
            }
            return result;
        } catch (GeneralSecurityException e) {
            throw invalid(field + " is not a PEM certificate: " + e.getMessage());
        }
    }

    private static ProvisioningException invalid(String why) {
        return new ProvisioningException("the backend's answer cannot be trusted: " + why,
                "nothing was written; check --url points at your tenant's Latchkey backend and report this to the operator",
                ExitCodes.UNREACHABLE);
    }
}
