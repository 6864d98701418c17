package io.latchkey.cloud.pki;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.KeyPurposeId;

/**
 * The platform's CA, kept in the platform secret store. It is not any tenant's: it issues the
 * backend's MQTT client identity ({@link ServiceIdentity}) and the broker's TLS server certificate,
 * which devices verify with the {@code broker-ca.pem} of their bundle.
 */
public final class PlatformCertificateAuthority {
    public static final String ORGANISATION = "latchkey-platform";
    public static final Duration DEFAULT_VALIDITY = Duration.ofDays(365);

    private final CertificateAuthority ca;

    public PlatformCertificateAuthority(CertificateAuthority ca) {
        this.ca = Objects.requireNonNull(ca, "ca");
    }

    public static PlatformCertificateAuthority create(Clock clock, SecureRandom random) {
        return new PlatformCertificateAuthority(CertificateAuthority.create(subject(), CertificateAuthority.DEFAULT_CA_VALIDITY, clock, random));
    }

    /** {@code CN=Latchkey platform CA, O=latchkey-platform}. */
    public static X500Name subject() {
        return new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.CN, "Latchkey platform CA").addRDN(BCStyle.O, ORGANISATION).build();
    }

    public CertificateAuthority authority() {
        return ca;
    }

    public X509Certificate certificate() {
        return ca.certificate();
    }

    /** A fresh key pair and client certificate for the backend service {@code name}. */
    public ServiceIdentity issueService(String name, Duration validity) {
        LatchkeyUrns.requireServiceName(name);
        KeyPair keys = EcKeys.generate(ca.random());
        X500Name subject = new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.CN, name).addRDN(BCStyle.O, ORGANISATION).build();
        X509Certificate certificate = ca.issue(new LeafProfile(subject, keys.getPublic(), validity, KeyPurposeId.id_kp_clientAuth,
                List.of(new GeneralName(GeneralName.uniformResourceIdentifier, LatchkeyUrns.service(name)))));
        return new ServiceIdentity(name, new TlsIdentity(keys.getPrivate(), List.of(certificate, ca.certificate())));
    }

    /** A fresh key pair and TLS server certificate for the broker, valid for the given host names and IP addresses. */
    public TlsIdentity issueBrokerServer(List<String> hosts, Duration validity) {
        if (hosts == null || hosts.isEmpty()) {
            throw new PkiException("a broker certificate needs at least one host name or IP address");
        }
        KeyPair keys = EcKeys.generate(ca.random());
        List<GeneralName> names = new ArrayList<>();
        for (String host : hosts) {
            names.add(isIpLiteral(host) ? new GeneralName(GeneralName.iPAddress, host) : new GeneralName(GeneralName.dNSName, host));
        }
        X500Name subject = new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.CN, hosts.get(0)).addRDN(BCStyle.O, ORGANISATION).build();
        X509Certificate certificate = ca.issue(new LeafProfile(subject, keys.getPublic(), validity, KeyPurposeId.id_kp_serverAuth, names));
        return new TlsIdentity(keys.getPrivate(), List.of(certificate, ca.certificate()));
    }

    private static boolean isIpLiteral(String host) {
        if (!host.matches("[0-9.]+|[0-9a-fA-F:]*:[0-9a-fA-F:.]*")) {
            return false;
        }
        try {
            InetAddress.getByName(host);
            return true;
        } catch (UnknownHostException e) {
            return false;
        }
    }
}
