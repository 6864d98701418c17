package io.latchkey.cloud.outbox;

import static io.latchkey.cloud.it.CloudApp.expect;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import com.icegreen.greenmail.configuration.GreenMailConfiguration;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import io.latchkey.cloud.it.CloudApp;
import io.latchkey.cloud.it.Mailbox;
import jakarta.mail.Message.RecipientType;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.MimeMessage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * The outbox mails through a real SMTP server started here (GreenMail, plain on loopback), and what
 * arrives is what users get: the reset link in it completes a reset. The relay going down, and the backend
 * restarting with undelivered messages, lose nothing and send nothing twice.
 */
class MailDeliveryIT {
    static final String RELAY_USER = "latchkey-relay";
    static final String RELAY_PASSWORD = "relay-secret-5f1c9a";
    static final Pattern RESET_LINK = Pattern.compile("/reset-password/([A-Za-z0-9_-]{20,})");

    @TempDir
    Path dataDir;
    int port;
    GreenMail relay;
    final List<CloudApp> apps = new java.util.ArrayList<>();
    final LogCapture logs = new LogCapture();

    @BeforeEach
    void freePort() throws IOException {
        port = io.latchkey.protocol.net.FreePorts.pick();
        logs.start();
    }

    @AfterEach
    void stop() {
        apps.forEach(CloudApp::close);
        if (relay != null) {
            relay.stop();
        }
        logs.stop();
    }

    @Test
    void aResetLink_arrivesByMail_andCompletesTheReset_andTheAddressStaysOutOfLogsAndTheOutbox() throws Exception {
        startRelay();
        CloudApp app = startApp();
        app.tenantWithAdmin("acme");
        register(app, "mia@acme.test");

        expect(202, app.http.postJson("/t/acme/password-resets", null, Map.of("email", "mia@acme.test")));
        MimeMessage mail = awaitMails(1).get(0);

        assertThat(mail.getRecipients(RecipientType.TO)).extracting(Object::toString).containsExactly("mia@acme.test");
        assertThat(mail.getFrom()).extracting(Object::toString).containsExactly("Latchkey <no-reply@latchkey.test>");
        assertThat(mail.getSubject()).isEqualTo("Reset your Latchkey password");
        assertThat(mail.getMessageID()).matches("<acme\\.m-[0-9a-f]{32}@latchkey\\.test>");
        String token = resetToken(mail);
        assertThat(expect(200, app.http.get("/t/acme/password-resets/" + token, null)).json()
                .path("readyForPassword").asBoolean()).isTrue();
        expect(204, app.http.postJson("/t/acme/password-resets/" + token, null, Map.of("newPassword", "a new passphrase from my mail")));
        expect(200, app.http.postForm("/t/acme/oauth/token",
                Map.of("grant_type", "password", "username", "mia@acme.test", "password", "a new passphrase from my mail")));

        await().atMost(Duration.ofSeconds(10)).until(() -> !outboxText().contains("mia@acme.test"));
        assertThat(outboxText()).as("a mailed link does not stay on disk").doesNotContain(token);
        assertThat(logs.text()).contains("delivered to the mail relay")
                .doesNotContain("mia@acme.test", token, RELAY_PASSWORD);
    }

    @Test
    void whileTheRelayIsDown_theMessageIsKept_andWhenItComesBack_itIsDeliveredOnce() {
        CloudApp app = startApp();
        app.tenantWithAdmin("acme");
        register(app, "nia@acme.test");
        register(app, "ola@acme.test");

        expect(202, app.http.postJson("/t/acme/password-resets", null, Map.of("email", "nia@acme.test")));
        await().atMost(Duration.ofSeconds(20)).until(() -> logs.count("mail relay is unavailable") >= 2);
        assertThat(outboxText()).as("kept while the relay is down").contains("nia@acme.test");
        assertThat(rawOutbox()).as("kept sealed").contains("\"sealed\":\"pii1:").doesNotContain("nia@acme.test");

        startRelay();
        awaitMails(1);
        expect(202, app.http.postJson("/t/acme/password-resets", null, Map.of("email", "ola@acme.test")));
        awaitMails(2);
        assertThat(recipients()).containsExactlyInAnyOrder("nia@acme.test", "ola@acme.test");
        assertThat(logs.text()).doesNotContain("nia@acme.test", "ola@acme.test");
    }

    @Test
    void aRestart_withUndeliveredMessages_deliversEachOnce_andNoneTwice() {
        CloudApp first = startApp();
        first.tenantWithAdmin("acme");
        for (String user : List.of("pia", "quin", "rey")) {
            register(first, user + "@acme.test");
        }
        expect(202, first.http.postJson("/t/acme/password-resets", null, Map.of("email", "pia@acme.test")));
        expect(202, first.http.postJson("/t/acme/password-resets", null, Map.of("email", "quin@acme.test")));
        close(first);

        startRelay();
        CloudApp second = startApp();
        awaitMails(2);
        close(second);

        CloudApp third = startApp();
        expect(202, third.http.postJson("/t/acme/password-resets", null, Map.of("email", "rey@acme.test")));
        awaitMails(3);
        assertThat(recipients()).as("each once, none again after the second restart")
                .containsExactlyInAnyOrder("pia@acme.test", "quin@acme.test", "rey@acme.test");
    }

    @Test
    void withoutARelay_messagesStayInTheOutbox_andTheLogSaysSoOnce() {
        CloudApp app = CloudApp.start(dataDir, Map.of());
        apps.add(app);
        app.tenantWithAdmin("acme");
        register(app, "sia@acme.test");

        expect(202, app.http.postJson("/t/acme/password-resets", null, Map.of("email", "sia@acme.test")));
        expect(202, app.http.postJson("/t/acme/password-resets", null, Map.of("email", "sia@acme.test")));

        await().atMost(Duration.ofSeconds(10)).until(() -> Mailbox.all(dataDir, "acme").size() == 2);
        assertThat(outboxText()).contains("sia@acme.test", "Reset your Latchkey password");
        assertThat(rawOutbox()).as("kept sealed").doesNotContain("sia@acme.test");
        assertThat(logs.count("No SMTP relay configured (latchkey.mail.smtp.host)")).as("said once, at start").isEqualTo(1);
        assertThat(logs.text()).doesNotContain("sia@acme.test", "delivered to the mail relay", "mail relay is unavailable");
    }

    private CloudApp startApp() {
        Map<String, Object> props = new HashMap<>();
        props.put("latchkey.mail.smtp.host", "127.0.0.1");
        props.put("latchkey.mail.smtp.port", port);
        props.put("latchkey.mail.smtp.tls", "none");
        props.put("latchkey.mail.smtp.username", RELAY_USER);
        props.put("latchkey.mail.smtp.password", RELAY_PASSWORD);
        props.put("latchkey.mail.smtp.from", "Latchkey <no-reply@latchkey.test>");
        props.put("latchkey.mail.smtp.timeout", "5s");
        props.put("latchkey.mail.retry.initial", "200ms");
        props.put("latchkey.mail.retry.max", "1s");
        CloudApp app = CloudApp.start(dataDir, props);
        apps.add(app);
        return app;
    }

    private void close(CloudApp app) {
        apps.remove(app);
        app.close();
    }

    private void startRelay() {
        relay = new GreenMail(new ServerSetup(port, "127.0.0.1", ServerSetup.PROTOCOL_SMTP))
                .withConfiguration(GreenMailConfiguration.aConfig().withUser(RELAY_USER, RELAY_PASSWORD));
        relay.start();
    }

    private static void register(CloudApp app, String email) {
        expect(201, app.http.postJson("/t/acme/users", null,
                Map.of("email", email, "name", "User " + email.charAt(0), "password", CloudApp.PASSWORD)));
    }

    private List<MimeMessage> awaitMails(int count) {
        await().atMost(Duration.ofSeconds(20)).until(() -> relay != null && relay.getReceivedMessages().length >= count);
        return Arrays.asList(relay.getReceivedMessages());
    }

    private List<String> recipients() {
        return Arrays.stream(relay.getReceivedMessages()).map(m -> {
            try {
                return m.getRecipients(RecipientType.TO)[0].toString();
            } catch (MessagingException e) {
                throw new IllegalStateException(e);
            }
        }).toList();
    }

    private static String resetToken(MimeMessage mail) throws Exception {
        Matcher m = RESET_LINK.matcher(mail.getContent().toString());
        assertThat(m.find()).as("a reset link in the mail").isTrue();
        return m.group(1);
    }

    /** The kept messages' addresses and texts, opened as the backend opens them. */
    private String outboxText() {
        StringBuilder text = new StringBuilder();
        for (OutboxMessage m : Mailbox.all(dataDir, "acme")) {
            text.append(m.to()).append('\n').append(m.subject()).append('\n').append(m.body()).append('\n');
        }
        return text.toString();
    }

    private String rawOutbox() {
        try {
            Path file = dataDir.resolve("tenants/acme/" + FileOutbox.FILE_NAME);
            return Files.exists(file) ? Files.readString(file) : "";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every log line of the backend while a test runs, formatted (the relay's own lines left out). */
    static final class LogCapture extends AppenderBase<ILoggingEvent> {
        private final List<String> lines = new CopyOnWriteArrayList<>();

        @Override
        public void start() {
            super.start();
            root().addAppender(this);
        }

        @Override
        public void stop() {
            root().detachAppender(this);
            super.stop();
        }

        @Override
        protected void append(ILoggingEvent event) {
            if (event.getLoggerName().startsWith("com.icegreen")) {
                return; // the test's relay, not the backend
            }
            lines.add(event.getFormattedMessage() + (event.getThrowableProxy() != null ? " " + event.getThrowableProxy().getMessage() : ""));
        }

        String text() {
            return String.join("\n", lines);
        }

        long count(String text) {
            return lines.stream().filter(l -> l.contains(text)).count();
        }

        private static Logger root() {
            return (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        }
    }
}
