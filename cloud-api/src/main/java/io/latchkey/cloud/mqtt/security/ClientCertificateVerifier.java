package io.latchkey.cloud.mqtt.security;

import io.latchkey.cloud.pki.DeviceIdentity;
import io.latchkey.cloud.pki.LatchkeyUrns;
import io.latchkey.cloud.pki.RevokedCertificateException;
import io.latchkey.cloud.pki.UntrustedCertificateException;
import java.security.GeneralSecurityException;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.Date;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import javax.security.auth.x500.X500Principal;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x500.style.IETFUtils;

/**
 * Turns a TLS client certificate chain into an {@link MqttIdentity}, or refuses it. The TLS layer has
 * already checked the chain against the broker's trust store; this check is the one that matters
 * between tenants: the certificate must be signed by the device CA of the very tenant it names, and
 * not be revoked. A certificate from the platform CA is a service identity.
 */
public final class ClientCertificateVerifier {
    private static final String CLIENT_AUTH = "1.3.6.1.5.5.7.3.2";

    private final DeviceTrust trust;
    private final X509Certificate platformCa;
    private final Clock clock;

    public ClientCertificateVerifier(DeviceTrust trust, X509Certificate platformCa, Clock clock) {
        this.trust = Objects.requireNonNull(trust, "trust");
        this.platformCa = Objects.requireNonNull(platformCa, "platformCa");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * @throws RevokedCertificateException   a device certificate that has been revoked
     * @throws UntrustedCertificateException anything else that does not prove a Latchkey identity
     */
    public MqttIdentity verify(X509Certificate[] chain) {
        if (chain == null || chain.length == 0) {
            throw new UntrustedCertificateException("no client certificate presented");
        }
        X509Certificate leaf = chain[0];
        X500Principal issuer = leaf.getIssuerX500Principal();
        if (issuer.equals(platformCa.getSubjectX500Principal())) {
            return verifyService(leaf);
        }
        return verifyDevice(leaf, issuer);
    }

    private MqttIdentity verifyService(X509Certificate leaf) {
        requireSignedAndCurrent(leaf, platformCa);
        for (String uri : sanUris(leaf)) {
            Optional<String> name = LatchkeyUrns.parseService(uri);
            if (name.isPresent()) {
                return new MqttIdentity.Service(name.get());
            }
        }
        throw new UntrustedCertificateException("platform certificate " + leaf.getSubjectX500Principal() + " names no service");
    }

    private MqttIdentity verifyDevice(X509Certificate leaf, X500Principal issuer) {
        String tenant = organisation(issuer)
                .orElseThrow(() -> new UntrustedCertificateException("issuer '" + issuer + "' is not a Latchkey device CA"));
        X509Certificate ca = trust.deviceCa(tenant)
                .filter(c -> c.getSubjectX500Principal().equals(issuer))
                .orElseThrow(() -> new UntrustedCertificateException("issuer '" + issuer + "' is not the device CA of a known tenant"));
        requireSignedAndCurrent(leaf, ca);
        DeviceIdentity identity = DeviceIdentity.of(leaf);
        if (!identity.tenant().equals(tenant)) {
            throw new UntrustedCertificateException("certificate of the device CA of " + tenant + " claims tenant " + identity.tenant());
        }
        String subjectTenant = organisation(leaf.getSubjectX500Principal()).orElse(null);
        if (!tenant.equals(subjectTenant) || !identity.deviceId().equals(commonName(leaf.getSubjectX500Principal()).orElse(null))) {
            throw new UntrustedCertificateException("certificate subject '" + leaf.getSubjectX500Principal()
                    + "' does not match its identity " + identity.tenant() + "/" + identity.deviceId());
        }
        if (trust.isRevoked(tenant, leaf.getSerialNumber())) {
            throw new RevokedCertificateException("certificate " + leaf.getSerialNumber().toString(16) + " of device "
                    + tenant + "/" + identity.deviceId() + " has been revoked");
        }
        return new MqttIdentity.Device(tenant, identity.deviceId(), identity.carId());
    }

    private void requireSignedAndCurrent(X509Certificate leaf, X509Certificate ca) {
        Date now = Date.from(clock.instant());
        try {
            leaf.verify(ca.getPublicKey());
        } catch (GeneralSecurityException e) {
            throw new UntrustedCertificateException("certificate " + leaf.getSubjectX500Principal() + " is not signed by " + ca.getSubjectX500Principal(), e);
        }
        try {
            ca.checkValidity(now);
            leaf.checkValidity(now);
        } catch (GeneralSecurityException e) {
            throw new UntrustedCertificateException("certificate " + leaf.getSubjectX500Principal() + " or its CA is outside its validity: " + e.getMessage(), e);
        }
        if (leaf.getBasicConstraints() >= 0) {
            throw new UntrustedCertificateException("a CA certificate cannot be a client identity");
        }
        try {
            List<String> usages = leaf.getExtendedKeyUsage();
            if (usages == null || !usages.contains(CLIENT_AUTH)) {
                throw new UntrustedCertificateException("certificate " + leaf.getSubjectX500Principal() + " is not for TLS client authentication");
            }
        } catch (CertificateParsingException e) {
            throw new UntrustedCertificateException("unreadable extended key usage: " + e.getMessage(), e);
        }
    }

    private static List<String> sanUris(X509Certificate certificate) {
        try {
            var names = certificate.getSubjectAlternativeNames();
            if (names == null) {
                return List.of();
            }
            return names.stream().filter(n -> Integer.valueOf(6).equals(n.get(0))).map(n -> (String) n.get(1)).toList();
        } catch (CertificateParsingException e) {
            throw new UntrustedCertificateException("unreadable subjectAltName: " + e.getMessage(), e);
        }
    }

    static Optional<String> organisation(X500Principal principal) {
        return attribute(principal, BCStyle.O);
    }

    static Optional<String> commonName(X500Principal principal) {
        return attribute(principal, BCStyle.CN);
    }

    private static Optional<String> attribute(X500Principal principal, org.bouncycastle.asn1.ASN1ObjectIdentifier type) {
        RDN[] rdns = X500Name.getInstance(principal.getEncoded()).getRDNs(type);
        if (rdns.length != 1 || rdns[0].isMultiValued()) {
            return Optional.empty();
        }
        return Optional.of(IETFUtils.valueToString(rdns[0].getFirst().getValue()));
    }
}
