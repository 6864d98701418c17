package io.latchkey.cloud.pki;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.KeyPair;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class DeviceCertificateAuthorityTest {
    private static final Instant NOW = Instant.parse("2026-11-23T17:00:00Z");
    private final Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
    private final SecureRandom random = new SecureRandom();
    private final DeviceCertificateAuthority acme = DeviceCertificateAuthority.create("acme", clock, random);

    @Test
    void caCertificate_isSelfSignedAndNamesItsTenant() throws Exception {
        X509Certificate ca = acme.certificate();
        ca.verify(ca.getPublicKey());
        assertThat(ca.getSubjectX500Principal().getName()).isEqualTo("O=acme,CN=Latchkey device CA acme");
        assertThat(ca.getBasicConstraints()).isEqualTo(0);
        assertThat(ca.getPublicKey().getAlgorithm()).isEqualTo("EC");
    }

    @Test
    void matchingCsr_yieldsClientCertificateBindingTenantDeviceAndCar() throws Exception {
        KeyPair device = TestCsrs.p256();
        IssuedDeviceCertificate issued = acme.issue("dev-001", "car-7", TestCsrs.csr("CN=dev-001,O=acme", device));
        X509Certificate cert = issued.certificate();

        cert.verify(acme.certificate().getPublicKey());
        assertThat(cert.getPublicKey()).isEqualTo(device.getPublic());
        assertThat(cert.getSubjectX500Principal().getName()).isEqualTo("O=acme,CN=dev-001");
        assertThat(DeviceIdentity.sanUris(cert)).containsExactlyInAnyOrder("urn:latchkey:acme:dev-001", "urn:latchkey:car:acme:car-7");
        assertThat(cert.getExtendedKeyUsage()).containsExactly("1.3.6.1.5.5.7.3.2");
        assertThat(cert.getBasicConstraints()).isEqualTo(-1);
        assertThat(cert.getSerialNumber().signum()).isPositive();
        assertThat(cert.getSerialNumber().bitLength()).isLessThanOrEqualTo(128);
        assertThat(cert.getNotAfter().toInstant()).isEqualTo(NOW.plus(Duration.ofDays(365)));
        assertThat(issued.identity()).isEqualTo(new DeviceIdentity("acme", "dev-001", "car-7", cert.getSerialNumber()));
        assertThat(issued.caChain()).containsExactly(acme.certificate());
    }

    @Test
    void deviceValidity_isConfigurable() {
        IssuedDeviceCertificate issued = acme.withDeviceValidity(Duration.ofDays(30))
                .issue("dev-001", "car-7", TestCsrs.csr("CN=dev-001,O=acme", TestCsrs.p256()));
        assertThat(issued.certificate().getNotAfter().toInstant()).isEqualTo(NOW.plus(Duration.ofDays(30)));
    }

    @Test
    void twoIssues_getDifferentRandomSerials() {
        String csr = TestCsrs.csr("CN=dev-001,O=acme", TestCsrs.p256());
        assertThat(acme.issue("dev-001", "car-7", csr).certificate().getSerialNumber())
                .isNotEqualTo(acme.issue("dev-001", "car-7", csr).certificate().getSerialNumber());
    }

    @Test
    void csrSignedByAnotherKey_isRefusedForLackOfProofOfPossession() {
        KeyPair claimed = TestCsrs.p256();
        KeyPair signer = TestCsrs.p256();
        String csr = TestCsrs.csr("CN=dev-001,O=acme", claimed.getPublic(), signer.getPrivate());

        assertThatThrownBy(() -> acme.issue("dev-001", "car-7", csr))
                .isInstanceOf(InvalidCsrException.class)
                .hasMessageContaining("does not verify");
    }

    @Test
    void csrAskingForAnotherTenant_isRefusedAsSubjectMismatch() {
        String csr = TestCsrs.csr("CN=dev-001,O=globex", TestCsrs.p256());

        assertThatThrownBy(() -> acme.issue("dev-001", "car-7", csr))
                .isInstanceOf(CsrSubjectMismatchException.class)
                .hasMessageContaining("tenant 'globex'");
    }

    @Test
    void csrAskingForAnotherDevice_isRefusedAsSubjectMismatch() {
        String csr = TestCsrs.csr("CN=dev-002,O=acme", TestCsrs.p256());

        assertThatThrownBy(() -> acme.issue("dev-001", "car-7", csr))
                .isInstanceOf(CsrSubjectMismatchException.class)
                .hasMessageContaining("device 'dev-002'");
    }

    @Test
    void csrWithExtraSubjectAttributes_isRefused() {
        String csr = TestCsrs.csr("CN=dev-001,OU=admins,O=acme", TestCsrs.p256());

        assertThatThrownBy(() -> acme.issue("dev-001", "car-7", csr)).isInstanceOf(CsrSubjectMismatchException.class);
    }

    @Test
    void csrWithRsaKey_isRefused() {
        String csr = TestCsrs.csr("CN=dev-001,O=acme", TestCsrs.rsa());

        assertThatThrownBy(() -> acme.issue("dev-001", "car-7", csr))
                .isInstanceOf(InvalidCsrException.class)
                .hasMessageContaining("EC P-256");
    }

    @Test
    void csrWithP384Key_isRefused() {
        String csr = TestCsrs.csr("CN=dev-001,O=acme", TestCsrs.ec("secp384r1"));

        assertThatThrownBy(() -> acme.issue("dev-001", "car-7", csr))
                .isInstanceOf(InvalidCsrException.class)
                .hasMessageContaining("P-256");
    }

    @Test
    void textThatIsNotACsr_isRefused() {
        assertThatThrownBy(() -> acme.issue("dev-001", "car-7", "hello")).isInstanceOf(InvalidCsrException.class);
        assertThatThrownBy(() -> acme.issue("dev-001", "car-7", Pem.encode(acme.certificate())))
                .isInstanceOf(InvalidCsrException.class)
                .hasMessageContaining("CERTIFICATE REQUEST");
        assertThatThrownBy(() -> acme.issue("dev-001", "car-7", null)).isInstanceOf(InvalidCsrException.class);
    }

    @Test
    void crl_listsRevokedSerials_signedByTheTenantCa() throws Exception {
        X509Certificate revoked = acme.issue("dev-001", "car-7", TestCsrs.csr("CN=dev-001,O=acme", TestCsrs.p256())).certificate();
        X509Certificate kept = acme.issue("dev-002", "car-8", TestCsrs.csr("CN=dev-002,O=acme", TestCsrs.p256())).certificate();
        InMemoryRevocationRegistry registry = new InMemoryRevocationRegistry(clock);
        registry.revoke("acme", revoked.getSerialNumber(), "dev-001", "decommissioned");

        String pem = acme.crlPem(registry.revoked("acme"), Duration.ofDays(7));

        var crl = (java.security.cert.X509CRL) java.security.cert.CertificateFactory.getInstance("X.509")
                .generateCRL(new java.io.ByteArrayInputStream(pem.getBytes(java.nio.charset.StandardCharsets.US_ASCII)));
        crl.verify(acme.certificate().getPublicKey());
        assertThat(crl.isRevoked(revoked)).isTrue();
        assertThat(crl.isRevoked(kept)).isFalse();
        assertThat(crl.getNextUpdate().toInstant()).isEqualTo(NOW.plus(Duration.ofDays(7)));
    }

    @Test
    void caSavedAsPem_loadsAndIssuesUnderTheSameName() throws Exception {
        CertificateAuthority saved = acme.authority();
        CertificateAuthority loaded = CertificateAuthority.load(saved.certificatePem(), saved.privateKeyPem(), clock, random);
        DeviceCertificateAuthority again = new DeviceCertificateAuthority("acme", loaded, DeviceCertificateAuthority.DEFAULT_DEVICE_VALIDITY);

        X509Certificate cert = again.issue("dev-001", "car-7", TestCsrs.csr("CN=dev-001,O=acme", TestCsrs.p256())).certificate();

        cert.verify(acme.certificate().getPublicKey());
    }

    @Test
    void caWithAForeignPrivateKey_isRefusedOnLoad() {
        DeviceCertificateAuthority globex = DeviceCertificateAuthority.create("globex", clock, random);

        assertThatThrownBy(() -> CertificateAuthority.load(acme.authority().certificatePem(), globex.authority().privateKeyPem(), clock, random))
                .isInstanceOf(PkiException.class)
                .hasMessageContaining("does not belong");
    }

    @Test
    void anotherTenantsCa_cannotActAsThisTenantsCa() {
        DeviceCertificateAuthority globex = DeviceCertificateAuthority.create("globex", clock, random);

        assertThatThrownBy(() -> new DeviceCertificateAuthority("acme", globex.authority(), Duration.ofDays(1)))
                .isInstanceOf(PkiException.class);
    }
}
