package io.latchkey.simulator.mail;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/** The demo's mailbox takes mail over real SMTP on loopback and gives it back decoded. */
class DemoMailboxTest {

    @Test
    void takesMailOverSmtp_andReadsItsTextDecoded() throws Exception {
        try (DemoMailbox mailbox = DemoMailbox.start(0)) {
            assertThat(mailbox.port()).isPositive();
            assertThat(mailbox.received()).isEmpty();

            // quoted-printable UTF-8, as Jakarta Mail sends text that is not plain ASCII
            send(mailbox.port(), "zoe@demo.example", "Rental receipt: Zoë's car, 1.5 km",
                    "Your rental of Zoë's car (booking b-1) has ended.\n\nStarted: 2026-01-02T03:04:05Z\nDistance: 1.5 km in 1 trip — by GPS\n\n");

            DemoMailbox.Mail mail = mailbox.await(m -> m.subject().startsWith("Rental receipt"), Duration.ofSeconds(10)).orElseThrow();
            assertThat(mail.from()).isEqualTo("no-reply@demo.example");
            assertThat(mail.to()).containsExactly("zoe@demo.example");
            assertThat(mail.subject()).isEqualTo("Rental receipt: Zoë's car, 1.5 km");
            assertThat(mail.messageId()).isEqualTo("<t.m-1@demo.example>");
            assertThat(mail.lines()).containsExactly("Your rental of Zoë's car (booking b-1) has ended.", "",
                    "Started: 2026-01-02T03:04:05Z", "Distance: 1.5 km in 1 trip — by GPS");
            assertThat(mail.line("Distance:")).hasValue("1.5 km in 1 trip — by GPS");
            assertThat(mail.line("Ended:")).isEmpty();
            assertThat(mailbox.received()).hasSize(1);
        }
    }

    @Test
    void await_givesNothing_whenNoMatchingMailArrives() {
        try (DemoMailbox mailbox = DemoMailbox.start(0)) {
            long started = System.nanoTime();
            assertThat(mailbox.await(m -> true, Duration.ofMillis(400))).isEmpty();
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isBetween(Duration.ofMillis(350), Duration.ofSeconds(5));
        }
    }

    @Test
    void start_refusesABadPort_andSaysWhenThePortIsTaken() throws Exception {
        assertThatThrownBy(() -> DemoMailbox.start(70000)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("0..65535");
        try (ServerSocket taken = new ServerSocket(0, 1, java.net.InetAddress.getByName(DemoMailbox.HOST))) {
            assertThatThrownBy(() -> DemoMailbox.start(taken.getLocalPort())).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("127.0.0.1:" + taken.getLocalPort() + ": the port is taken");
        }
    }

    private static void send(int port, String to, String subject, String text) throws MessagingException {
        Properties props = new Properties();
        props.put("mail.smtp.host", DemoMailbox.HOST);
        props.put("mail.smtp.port", String.valueOf(port));
        MimeMessage m = new MimeMessage(Session.getInstance(props)) {
            @Override
            protected void updateMessageID() throws MessagingException {
                setHeader("Message-ID", "<t.m-1@demo.example>");
            }
        };
        m.setFrom(new InternetAddress("Latchkey demo <no-reply@demo.example>"));
        m.setRecipient(Message.RecipientType.TO, new InternetAddress(to));
        m.setSubject(subject, StandardCharsets.UTF_8.name());
        m.setText(text, StandardCharsets.UTF_8.name());
        Transport.send(m);
    }
}
