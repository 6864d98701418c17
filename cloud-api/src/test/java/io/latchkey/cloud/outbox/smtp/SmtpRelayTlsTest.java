package io.latchkey.cloud.outbox.smtp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.icegreen.greenmail.configuration.GreenMailConfiguration;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import io.latchkey.cloud.outbox.MailRelay;
import io.latchkey.cloud.outbox.OutboxMessage;
import io.latchkey.cloud.outbox.RelayUnavailableException;
import jakarta.mail.internet.MimeMessage;
import java.io.IOException;
import java.io.OutputStream;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Date;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * TLS to the relay (issue 12: "by e-mail over SMTP ... with TLS to the relay"), against a real SMTP server started
 * here (GreenMail): with {@code tls=implicit} the mail goes over TLS to a relay whose certificate the JVM trusts and
 * names the host, and a relay whose certificate is not trusted gets nothing; with {@code tls=starttls} (the
 * default) a relay that does not offer STARTTLS gets nothing either: there is no fallback to plain text.
 *
 * <p>The relay's certificate is checked against the JVM's trust store ({@link SmtpConfig}); the test that trusts
 * its own relay swaps the JVM's default {@link SSLContext} for the time of one delivery and puts it back.
 */
class SmtpRelayTlsTest {
    static final char[] PASSWORD = "greenmail-test-keystore".toCharArray();
    static final String RELAY_USER = "latchkey-relay";
    static final String RELAY_PASSWORD = "relay-secret-81d2e4";
    static KeyStore relayKeys;

    @TempDir
    static Path keys;

    GreenMail relay;

    /** GreenMail's TLS listeners take their key from these properties, read once per JVM. */
    @BeforeAll
    static void relayCertificateFor127001() throws Exception {
        relayKeys = selfSignedFor127001();
        Path file = keys.resolve("relay.p12");
        try (OutputStream out = Files.newOutputStream(file)) {
            relayKeys.store(out, PASSWORD);
        }
        System.setProperty("greenmail.tls.keystore.file", file.toString());
        System.setProperty("greenmail.tls.keystore.password", new String(PASSWORD));
        System.setProperty("greenmail.tls.key.password", new String(PASSWORD));
    }

    @AfterEach
    void stopRelay() {
        if (relay != null) {
            relay.stop();
        }
    }

    @Test
    void implicitTls_toARelayTheJvmTrusts_deliversTheMail_signedIn() throws Exception {
        int port = startRelay(ServerSetup.PROTOCOL_SMTPS);
        SmtpRelay smtp = relay("implicit", port);
        SSLContext before = SSLContext.getDefault();
        SSLContext.setDefault(trusting(relayKeys));
        try (MailRelay.Connection connection = smtp.open()) {
            connection.deliver("acme", message());
        } finally {
            SSLContext.setDefault(before);
        }
        MimeMessage[] received = relay.getReceivedMessages();
        assertThat(received).hasSize(1);
        assertThat(received[0].getSubject()).isEqualTo("Rental receipt: Car 1 (B-LK 1)");
        assertThat(received[0].getMessageID()).isEqualTo("<acme.m-0001@example.test>");
        assertThat(smtp.describe()).contains("tls=implicit").doesNotContain(RELAY_PASSWORD);
    }

    @Test
    void implicitTls_toARelayWhoseCertificateIsNotTrusted_sendsNothing() {
        int port = startRelay(ServerSetup.PROTOCOL_SMTPS);
        SmtpRelay smtp = relay("implicit", port);
        assertThatThrownBy(smtp::open)
                .isInstanceOf(RelayUnavailableException.class)
                .hasMessageContaining("cannot open a session with SMTP relay 127.0.0.1:" + port)
                .message().doesNotContain(RELAY_PASSWORD);
        assertThat(relay.getReceivedMessages()).isEmpty();
    }

    @Test
    void startTls_toARelayThatDoesNotOfferIt_sendsNothing_noFallbackToPlain() {
        // GreenMail's plain SMTP listener offers no STARTTLS: a plain session would work, and must not be used
        int port = startRelay(ServerSetup.PROTOCOL_SMTP);
        SmtpRelay smtp = relay("starttls", port);
        assertThatThrownBy(smtp::open)
                .isInstanceOf(RelayUnavailableException.class)
                .hasMessageContaining("STARTTLS")
                .message().doesNotContain(RELAY_PASSWORD);
        assertThat(relay.getReceivedMessages()).isEmpty();
        // the same relay takes the same mail over plain SMTP, so the refusal above is the TLS rule's alone
        try (MailRelay.Connection connection = relay("none", port).open()) {
            connection.deliver("acme", message());
        }
        assertThat(relay.getReceivedMessages()).hasSize(1);
    }

    private int startRelay(String protocol) {
        int port = freePort();
        relay = new GreenMail(new ServerSetup(port, "127.0.0.1", protocol))
                .withConfiguration(GreenMailConfiguration.aConfig().withUser(RELAY_USER, RELAY_PASSWORD));
        relay.start();
        return port;
    }

    private static SmtpRelay relay(String tls, int port) {
        return new SmtpRelay(new SmtpConfig("127.0.0.1", port, tls, RELAY_USER, RELAY_PASSWORD, null,
                "Latchkey <no-reply@example.test>", Duration.ofSeconds(10)));
    }

    private static OutboxMessage message() {
        return new OutboxMessage("m-0001", "u-1", "mia@acme.test", "rental-receipt", "Rental receipt: Car 1 (B-LK 1)",
                "Your rental of Car 1 (B-LK 1) has ended.", Instant.parse("2026-12-06T15:00:00Z"));
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static SSLContext trusting(KeyStore keyStore) throws Exception {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("relay", keyStore.getCertificate("relay"));
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init(trust);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, factory.getTrustManagers(), null);
        return context;
    }

    private static KeyStore selfSignedFor127001() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        KeyPair pair = generator.generateKeyPair();
        X500Name name = new X500Name("CN=127.0.0.1");
        Instant now = Instant.now();
        JcaX509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(name, BigInteger.valueOf(now.toEpochMilli()),
                Date.from(now.minus(1, ChronoUnit.HOURS)), Date.from(now.plus(1, ChronoUnit.DAYS)), name, pair.getPublic());
        builder.addExtension(Extension.subjectAlternativeName, false,
                new GeneralNames(new GeneralName(GeneralName.iPAddress, "127.0.0.1")));
        X509Certificate certificate = new JcaX509CertificateConverter().getCertificate(
                builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(pair.getPrivate())));
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        store.setKeyEntry("relay", pair.getPrivate(), PASSWORD, new X509Certificate[] {certificate});
        return store;
    }
}
