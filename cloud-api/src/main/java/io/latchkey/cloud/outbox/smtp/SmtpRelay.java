package io.latchkey.cloud.outbox.smtp;

import io.latchkey.cloud.outbox.MailRelay;
import io.latchkey.cloud.outbox.MessageRefusedException;
import io.latchkey.cloud.outbox.OutboxMessage;
import io.latchkey.cloud.outbox.RelayUnavailableException;
import io.micronaut.context.annotation.Requires;
import jakarta.inject.Singleton;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.nio.charset.StandardCharsets;
import java.util.Date;
import java.util.Properties;
import org.eclipse.angus.mail.smtp.SMTPAddressFailedException;
import org.eclipse.angus.mail.smtp.SMTPSendFailedException;

/**
 * Delivers over SMTP with Jakarta Mail (Eclipse Angus), TLS to the relay as {@link SmtpConfig#tls()} says.
 * Every mail carries {@code Message-ID: <{tenant}.{id}@{from-domain}>}, the same on every attempt, so a
 * relay or mail client can drop a second copy sent after a crash.
 */
@Singleton
@Requires(property = "latchkey.mail.smtp.host")
public class SmtpRelay implements MailRelay {
    private static final String TLS_PROTOCOLS = "TLSv1.3 TLSv1.2";

    private final SmtpConfig config;
    private final String password;
    private final InternetAddress from;
    private final String messageIdDomain;
    private final Session session;
    private final String protocol;

    public SmtpRelay(SmtpConfig config) {
        if (!config.enabled()) {
            throw new io.micronaut.context.exceptions.ConfigurationException(
                    "latchkey.mail.smtp.host is set but empty: name the relay, or leave the key out to send no mail");
        }
        this.config = config;
        this.password = config.resolvePassword(System::getenv);
        try {
            this.from = new InternetAddress(config.from(), true);
        } catch (AddressException e) {
            throw new IllegalStateException("latchkey.mail.smtp.from is checked at start", e);
        }
        this.messageIdDomain = config.fromDomain();
        this.protocol = SmtpConfig.IMPLICIT.equals(config.tls()) ? "smtps" : "smtp";
        this.session = Session.getInstance(properties(config, protocol));
    }

    private static Properties properties(SmtpConfig config, String protocol) {
        String p = "mail." + protocol + ".";
        long millis = config.timeout().toMillis();
        Properties props = new Properties();
        props.put(p + "host", config.host());
        props.put(p + "port", String.valueOf(config.effectivePort()));
        props.put(p + "connectiontimeout", String.valueOf(millis));
        props.put(p + "timeout", String.valueOf(millis));
        props.put(p + "writetimeout", String.valueOf(millis));
        props.put(p + "auth", String.valueOf(config.username() != null));
        switch (config.tls()) {
            case SmtpConfig.STARTTLS -> {
                props.put(p + "starttls.enable", "true");
                props.put(p + "starttls.required", "true");
                props.put(p + "ssl.checkserveridentity", "true");
                props.put(p + "ssl.protocols", TLS_PROTOCOLS);
            }
            case SmtpConfig.IMPLICIT -> {
                props.put(p + "ssl.enable", "true");
                props.put(p + "ssl.checkserveridentity", "true");
                props.put(p + "ssl.protocols", TLS_PROTOCOLS);
            }
            default -> props.put(p + "starttls.enable", "false");
        }
        return props;
    }

    @Override
    public MailRelay.Connection open() {
        try {
            Transport transport = session.getTransport(protocol);
            transport.connect(config.host(), config.effectivePort(), config.username(), password);
            return new SmtpConnection(transport);
        } catch (MessagingException e) {
            // connection, TLS and AUTH failures name the host and the reply, never the password
            throw new RelayUnavailableException("cannot open a session with " + describe() + ": "
                    + e.getClass().getSimpleName() + ": " + e.getMessage(), null);
        }
    }

    @Override
    public String describe() {
        return "SMTP relay " + config.host() + ":" + config.effectivePort() + " (tls=" + config.tls()
                + (config.username() != null ? ", signed in" : "") + ")";
    }

    MimeMessage mime(String tenant, OutboxMessage message) throws MessagingException {
        String messageId = "<" + tenant + "." + message.id() + "@" + messageIdDomain + ">";
        MimeMessage mime = new MimeMessage(session) {
            @Override
            protected void updateMessageID() throws MessagingException {
                setHeader("Message-ID", messageId);
            }
        };
        mime.setFrom(from);
        mime.setRecipient(jakarta.mail.Message.RecipientType.TO, new InternetAddress(message.to(), true));
        mime.setSubject(message.subject(), StandardCharsets.UTF_8.name());
        mime.setSentDate(Date.from(message.createdAt()));
        mime.setText(message.body(), StandardCharsets.UTF_8.name());
        // RFC 3834: no auto-replies to a machine's message
        mime.setHeader("Auto-Submitted", "auto-generated");
        mime.saveChanges();
        return mime;
    }

    private final class SmtpConnection implements MailRelay.Connection {
        private final Transport transport;

        SmtpConnection(Transport transport) {
            this.transport = transport;
        }

        @Override
        public void deliver(String tenant, OutboxMessage message) {
            MimeMessage mime;
            try {
                mime = mime(tenant, message);
            } catch (AddressException e) {
                throw new MessageRefusedException(553, null); // an address no relay would take
            } catch (MessagingException e) {
                throw new MessageRefusedException(554, null);
            }
            try {
                transport.sendMessage(mime, mime.getAllRecipients());
            } catch (MessagingException e) {
                int code = replyCode(e);
                // 421: the relay is closing the session, whatever the message
                if (code >= 400 && code < 600 && code != 421) {
                    throw new MessageRefusedException(code, null);
                }
                // the exception's text may quote the address: only its type is kept
                throw new RelayUnavailableException("the session broke while sending message " + message.id()
                        + (code > 0 ? " (" + code + ")" : "") + ": " + e.getClass().getSimpleName(), null);
            }
        }

        @Override
        public void close() {
            try {
                transport.close();
            } catch (MessagingException e) {
                // the relay went away; nothing to hand back
            }
        }
    }

    /** The SMTP reply code in the exception or its chain, or -1. */
    static int replyCode(Exception e) {
        for (Throwable t = e; t != null; ) {
            if (t instanceof SMTPSendFailedException f) {
                return f.getReturnCode();
            }
            if (t instanceof SMTPAddressFailedException f) {
                return f.getReturnCode();
            }
            Throwable next = t instanceof MessagingException m && m.getNextException() != null ? m.getNextException() : t.getCause();
            t = next == t ? null : next;
        }
        return -1;
    }
}
