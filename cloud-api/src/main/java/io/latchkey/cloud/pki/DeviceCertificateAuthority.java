package io.latchkey.cloud.pki;

import io.latchkey.protocol.Topic;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.KeyPurposeId;

/**
 * One tenant's device CA. It issues a device certificate only for a request that proves possession of
 * an EC P-256 key and names exactly the tenant and device it was sent for; the certificate binds
 * tenant, device and car in its subjectAltName (see {@link LatchkeyUrns}) and is good for TLS client
 * authentication only.
 */
public final class DeviceCertificateAuthority {
    public static final Duration DEFAULT_DEVICE_VALIDITY = Duration.ofDays(365);

    private final String tenant;
    private final CertificateAuthority ca;
    private final Duration deviceValidity;

    public DeviceCertificateAuthority(String tenant, CertificateAuthority ca, Duration deviceValidity) {
        Topic.requireTenantId(tenant);
        this.tenant = tenant;
        this.ca = Objects.requireNonNull(ca, "ca");
        this.deviceValidity = Objects.requireNonNull(deviceValidity, "deviceValidity");
        String expected = subjectOf(tenant).toString();
        String actual = X500Name.getInstance(ca.certificate().getSubjectX500Principal().getEncoded()).toString();
        if (!expected.equals(actual)) {
            throw new PkiException("CA certificate '" + actual + "' is not the device CA of tenant " + tenant);
        }
    }

    /** A new CA for {@code tenant}; save {@link #authority()}'s PEM texts in the tenant's secret store. */
    public static DeviceCertificateAuthority create(String tenant, Clock clock, SecureRandom random) {
        Topic.requireTenantId(tenant);
        return new DeviceCertificateAuthority(tenant,
                CertificateAuthority.create(subjectOf(tenant), CertificateAuthority.DEFAULT_CA_VALIDITY, clock, random),
                DEFAULT_DEVICE_VALIDITY);
    }

    /** {@code CN=Latchkey device CA {tenant}, O={tenant}}. */
    public static X500Name subjectOf(String tenant) {
        return new X500NameBuilder(BCStyle.INSTANCE)
                .addRDN(BCStyle.CN, "Latchkey device CA " + tenant)
                .addRDN(BCStyle.O, tenant)
                .build();
    }

    public DeviceCertificateAuthority withDeviceValidity(Duration validity) {
        return new DeviceCertificateAuthority(tenant, ca, validity);
    }

    public String tenant() {
        return tenant;
    }

    public CertificateAuthority authority() {
        return ca;
    }

    public X509Certificate certificate() {
        return ca.certificate();
    }

    /** The tenant's revocations as a PEM X.509 CRL, for an external broker (see docs/mosquitto). */
    public String crlPem(java.util.List<RevokedCertificate> revoked, Duration validity) {
        return Pem.encode(ca.crl(revoked, validity));
    }

    /**
     * Issues the certificate of {@code deviceId} fitted to {@code carId}.
     *
     * @throws InvalidCsrException         the request is malformed, unsigned by its key, or not EC P-256
     * @throws CsrSubjectMismatchException the request names another tenant or device
     */
    public IssuedDeviceCertificate issue(String deviceId, String carId, String csrPem) {
        Topic.requireDeviceId(deviceId);
        LatchkeyUrns.requireCarId(carId);
        DeviceCsr csr = DeviceCsr.parse(csrPem, tenant, deviceId);
        X509Certificate certificate = ca.issue(new LeafProfile(csr.subject(), csr.publicKey(), deviceValidity,
                KeyPurposeId.id_kp_clientAuth, List.of(
                        new GeneralName(GeneralName.uniformResourceIdentifier, LatchkeyUrns.device(tenant, deviceId)),
                        new GeneralName(GeneralName.uniformResourceIdentifier, LatchkeyUrns.car(tenant, carId)))));
        return new IssuedDeviceCertificate(DeviceIdentity.of(certificate), certificate, List.of(ca.certificate()));
    }
}
