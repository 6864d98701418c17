package io.latchkey.cloud.pki;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class PlatformCertificateAuthorityTest {
    private final PlatformCertificateAuthority platform = PlatformCertificateAuthority.create(Clock.systemUTC(), new SecureRandom());

    @Test
    void serviceIdentity_isAClientCertificateNamingTheService() throws Exception {
        ServiceIdentity cloud = platform.issueService("latchkey-cloud", Duration.ofDays(30));
        X509Certificate cert = cloud.tls().certificate();

        cert.verify(platform.certificate().getPublicKey());
        assertThat(DeviceIdentity.sanUris(cert)).containsExactly("urn:latchkey:service:latchkey-cloud");
        assertThat(cert.getExtendedKeyUsage()).containsExactly("1.3.6.1.5.5.7.3.2");
        assertThat(cloud.tls().keyStore("pw".toCharArray()).isKeyEntry(TlsIdentity.KEY_ALIAS)).isTrue();
    }

    @Test
    void brokerCertificate_isAServerCertificateForItsHostsAndAddresses() throws Exception {
        TlsIdentity broker = platform.issueBrokerServer(List.of("broker.example", "127.0.0.1"), Duration.ofDays(30));
        X509Certificate cert = broker.certificate();

        cert.verify(platform.certificate().getPublicKey());
        assertThat(cert.getExtendedKeyUsage()).containsExactly("1.3.6.1.5.5.7.3.1");
        assertThat(cert.getSubjectAlternativeNames().stream().map(n -> n.get(1).toString()).toList())
                .containsExactly("broker.example", "127.0.0.1");
    }
}
