package io.latchkey.cloud.mqtt.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.latchkey.cloud.pki.DeviceCertificateAuthority;
import io.latchkey.cloud.pki.InMemoryRevocationRegistry;
import io.latchkey.cloud.pki.PlatformCertificateAuthority;
import io.latchkey.cloud.pki.RevokedCertificateException;
import io.latchkey.cloud.pki.TlsIdentity;
import io.latchkey.cloud.pki.UntrustedCertificateException;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class ClientCertificateVerifierTest {
    private final Clock clock = Clock.systemUTC();
    private final SecureRandom random = new SecureRandom();
    private final DeviceCertificateAuthority acme = DeviceCertificateAuthority.create("acme", clock, random);
    private final DeviceCertificateAuthority globex = DeviceCertificateAuthority.create("globex", clock, random);
    private final PlatformCertificateAuthority platform = PlatformCertificateAuthority.create(clock, random);
    private final InMemoryRevocationRegistry revocations = new InMemoryRevocationRegistry(clock);
    private final RegisteredDeviceTrust trust = new RegisteredDeviceTrust(revocations)
            .register("acme", acme.certificate())
            .register("globex", globex.certificate());
    private final ClientCertificateVerifier verifier = new ClientCertificateVerifier(trust, platform.certificate(), clock);

    @Test
    void deviceCertificate_fromItsTenantsCa_isThatDevice() {
        TlsIdentity device = TestPki.provision(acme, "dev-001", "car-7");

        assertThat(verifier.verify(chain(device))).isEqualTo(new MqttIdentity.Device("acme", "dev-001", "car-7"));
    }

    @Test
    void serviceCertificate_fromThePlatformCa_isTheService() {
        TlsIdentity cloud = platform.issueService("latchkey-cloud", Duration.ofDays(1)).tls();

        assertThat(verifier.verify(chain(cloud))).isEqualTo(new MqttIdentity.Service("latchkey-cloud"));
    }

    @Test
    void certificateFromAnotherTenantsCa_claimingThisTenant_isRefused() {
        X509Certificate globexCa = globex.certificate();
        TlsIdentity forged = TestPki.forge(TestPki.nameOf(globexCa), TestPki.keyOf(globex), "CN=dev-001,O=acme",
                Instant.now().plusSeconds(3600), "urn:latchkey:acme:dev-001", "urn:latchkey:car:acme:car-7");

        assertThatThrownBy(() -> verifier.verify(chain(forged)))
                .isInstanceOf(UntrustedCertificateException.class)
                .hasMessageContaining("device CA of globex claims tenant acme");
    }

    @Test
    void certificateSignedByAnotherTenantsKey_underThisTenantsCaName_isRefused() {
        TlsIdentity forged = TestPki.forge(TestPki.nameOf(acme.certificate()), TestPki.keyOf(globex), "CN=dev-001,O=acme",
                Instant.now().plusSeconds(3600), "urn:latchkey:acme:dev-001", "urn:latchkey:car:acme:car-7");

        assertThatThrownBy(() -> verifier.verify(chain(forged)))
                .isInstanceOf(UntrustedCertificateException.class)
                .hasMessageContaining("not signed by");
    }

    @Test
    void certificateFromAnUnknownTenantsCa_isRefused() {
        DeviceCertificateAuthority initech = DeviceCertificateAuthority.create("initech", clock, random);

        assertThatThrownBy(() -> verifier.verify(chain(TestPki.provision(initech, "dev-001", "car-7"))))
                .isInstanceOf(UntrustedCertificateException.class)
                .hasMessageContaining("not the device CA of a known tenant");
    }

    @Test
    void deviceCertificateClaimingToBeAService_isNotAService() {
        TlsIdentity forged = TestPki.forge(TestPki.nameOf(acme.certificate()), TestPki.keyOf(acme), "CN=latchkey-cloud,O=acme",
                Instant.now().plusSeconds(3600), "urn:latchkey:service:latchkey-cloud");

        assertThatThrownBy(() -> verifier.verify(chain(forged))).isInstanceOf(UntrustedCertificateException.class);
    }

    @Test
    void revokedCertificate_isRefusedAsRevoked() {
        TlsIdentity device = TestPki.provision(acme, "dev-001", "car-7");
        revocations.revoke("acme", device.certificate().getSerialNumber(), "dev-001", "decommissioned");

        assertThatThrownBy(() -> verifier.verify(chain(device))).isInstanceOf(RevokedCertificateException.class);
    }

    @Test
    void expiredCertificate_isRefused() {
        TlsIdentity device = TestPki.provision(acme, "dev-001", "car-7");
        Clock later = Clock.fixed(Instant.now().plus(Duration.ofDays(366)), ZoneOffset.UTC);

        assertThatThrownBy(() -> new ClientCertificateVerifier(trust, platform.certificate(), later).verify(chain(device)))
                .isInstanceOf(UntrustedCertificateException.class)
                .hasMessageContaining("validity");
    }

    @Test
    void noCertificate_isRefused() {
        assertThatThrownBy(() -> verifier.verify(new X509Certificate[0])).isInstanceOf(UntrustedCertificateException.class);
    }

    private static X509Certificate[] chain(TlsIdentity identity) {
        return identity.chain().toArray(X509Certificate[]::new);
    }
}
