package io.latchkey.cloud.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.latchkey.cloud.it.CloudApp;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Date;
import java.util.HashMap;
import java.util.Map;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Plain HTTP only on loopback; anywhere else HTTPS with TLS 1.2+, or the server does not start. */
class TransportSecurityIT {
    static final char[] STORE_PASSWORD = "keystore-password".toCharArray();

    @TempDir
    Path dir;

    @Test
    void aNonLoopbackHost_withoutTls_stopsTheStart_namingTheKeys() {
        assertThatThrownBy(() -> CloudApp.start(dir, Map.of("micronaut.server.host", "0.0.0.0")))
                .hasStackTraceContaining("micronaut.server.host=0.0.0.0 is not a loopback address")
                .hasStackTraceContaining("micronaut.server.ssl.enabled");
    }

    @Test
    void aNonLoopbackHost_withTlsAndPlainHttpBesideIt_stopsTheStart() {
        assertThatThrownBy(() -> CloudApp.start(dir, Map.of("micronaut.server.host", "0.0.0.0",
                "micronaut.server.ssl.enabled", true, "micronaut.server.dual-protocol", true)))
                .hasStackTraceContaining("micronaut.server.dual-protocol=false");
    }

    @Test
    void tlsOlderThan12_isRefusedAtStart() {
        assertThatThrownBy(() -> CloudApp.start(dir, Map.of("micronaut.server.ssl.protocols", "TLSv1.1,TLSv1.2")))
                .hasStackTraceContaining("may list only TLSv1.2 and TLSv1.3, got 'TLSv1.1'");
    }

    @Test
    void loopbackNames_areLoopback_andAllInterfacesAreNot() {
        assertThat(TransportSecurityCheck.isLoopback("127.0.0.1")).isTrue();
        assertThat(TransportSecurityCheck.isLoopback("localhost")).isTrue();
        assertThat(TransportSecurityCheck.isLoopback("::1")).isTrue();
        assertThat(TransportSecurityCheck.isLoopback("0.0.0.0")).isFalse();
        assertThat(TransportSecurityCheck.isLoopback("")).isFalse();
        assertThat(TransportSecurityCheck.isLoopback("192.0.2.10")).isFalse();
    }

    @Test
    void withTls_theServerStartsOnAllInterfaces_andAnswersHttpsWithTls12OrNewer() throws Exception {
        KeyStore keyStore = selfSigned();
        Path storeFile = dir.resolve("server.p12");
        try (OutputStream out = Files.newOutputStream(storeFile)) {
            keyStore.store(out, STORE_PASSWORD);
        }
        Map<String, Object> props = new HashMap<>();
        props.put("micronaut.server.host", "0.0.0.0");
        props.put("micronaut.server.ssl.enabled", true);
        props.put("micronaut.server.ssl.port", -1);
        props.put("micronaut.server.ssl.key-store.path", "file:" + storeFile);
        props.put("micronaut.server.ssl.key-store.password", new String(STORE_PASSWORD));
        props.put("micronaut.server.ssl.key-store.type", "PKCS12");
        props.put("latchkey.data-dir", dir.resolve("data").toString());
        props.put("latchkey.mqtt.port", 0);
        props.put("latchkey.mqtt.persistence", "in-memory");
        props.put("latchkey.admin.password", CloudApp.ADMIN_PASSWORD);
        try (EmbeddedServer server = ApplicationContext.run(EmbeddedServer.class, props, "test")) {
            assertThat(server.getScheme()).isEqualTo("https");
            TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trust.init(keyStore);
            SSLContext tls = SSLContext.getInstance("TLS");
            tls.init(null, trust.getTrustManagers(), null);
            try (SSLSocket socket = (SSLSocket) tls.getSocketFactory().createSocket("127.0.0.1", server.getPort())) {
                socket.startHandshake();
                assertThat(socket.getSession().getProtocol()).isIn("TLSv1.2", "TLSv1.3");
                socket.getOutputStream().write(("GET /health HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
                        .getBytes(StandardCharsets.US_ASCII));
                assertThat(readAll(socket.getInputStream())).startsWith("HTTP/1.1 200").contains("\"UP\"");
            }
        }
    }

    private static String readAll(InputStream in) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        in.transferTo(bytes);
        return bytes.toString(StandardCharsets.UTF_8);
    }

    private static KeyStore selfSigned() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        KeyPair pair = generator.generateKeyPair();
        X500Name name = new X500Name("CN=localhost");
        Instant now = Instant.now();
        JcaX509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(name, BigInteger.valueOf(now.toEpochMilli()),
                Date.from(now.minus(1, ChronoUnit.HOURS)), Date.from(now.plus(1, ChronoUnit.DAYS)), name, pair.getPublic());
        builder.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(new GeneralName[] {
                new GeneralName(GeneralName.dNSName, "localhost"), new GeneralName(GeneralName.iPAddress, "127.0.0.1")}));
        X509Certificate certificate = new JcaX509CertificateConverter().getCertificate(
                builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(pair.getPrivate())));
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        store.setKeyEntry("server", pair.getPrivate(), STORE_PASSWORD, new X509Certificate[] {certificate});
        return store;
    }
}
