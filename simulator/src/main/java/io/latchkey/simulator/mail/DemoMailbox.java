package io.latchkey.simulator.mail;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import jakarta.mail.Address;
import jakarta.mail.BodyPart;
import jakarta.mail.MessagingException;
import jakarta.mail.Multipart;
import jakarta.mail.Part;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * The demo's mail server: a real SMTP server (GreenMail) on loopback that takes every message for every address
 * and keeps it in memory, so the demo's backend can mail its users ({@code latchkey.mail.smtp.host=127.0.0.1},
 * {@code latchkey.mail.smtp.port}, {@code latchkey.mail.smtp.tls=none}) and the demo can show what they received.
 * Plain SMTP, no sign-in: it listens on 127.0.0.1 only and lives as long as the demo.
 */
public final class DemoMailbox implements AutoCloseable {
    /** One message as it arrived, its text decoded; {@code to}: the envelope's recipients as the headers name them. */
    public record Mail(String messageId, String from, List<String> to, String subject, Instant sent, String text) {
        /** The text's lines, without trailing blanks. */
        public List<String> lines() {
            return text == null ? List.of() : text.strip().lines().toList();
        }

        /** The first line that starts with {@code prefix}, without it and stripped. */
        public Optional<String> line(String prefix) {
            return lines().stream().filter(l -> l.startsWith(prefix)).map(l -> l.substring(prefix.length()).strip()).findFirst();
        }
    }

    public static final String HOST = "127.0.0.1";

    private final GreenMail server;

    private DemoMailbox(GreenMail server) {
        this.server = server;
    }

    /** Starts the SMTP server on {@code 127.0.0.1:port}; 0: on a free port ({@link #port()} says which). */
    public static DemoMailbox start(int port) {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("the mailbox's SMTP port must be 0..65535, got " + port);
        }
        if (port != 0) {
            // GreenMail reports a taken port as a start-up time-out, after a stack trace in the log: say it plainly
            try (ServerSocket probe = new ServerSocket(port, 1, InetAddress.getByName(HOST))) {
                assert probe.isBound();
            } catch (IOException e) {
                throw new IllegalStateException("cannot start the demo's SMTP server on " + HOST + ":" + port
                        + ": the port is taken (" + e.getMessage() + ")", e);
            }
        }
        ServerSetup setup = new ServerSetup(port, HOST, ServerSetup.PROTOCOL_SMTP);
        GreenMail server = new GreenMail(port == 0 ? setup.dynamicPort() : setup);
        try {
            server.start();
        } catch (RuntimeException e) {
            throw new IllegalStateException("cannot start the demo's SMTP server on " + HOST + ":" + port + ": " + e.getMessage(), e);
        }
        return new DemoMailbox(server);
    }

    /** The port it listens on. */
    public int port() {
        return server.getSmtp().getPort();
    }

    /** Every message received so far, oldest first. */
    public List<Mail> received() {
        List<Mail> mails = new ArrayList<>();
        for (MimeMessage m : server.getReceivedMessages()) {
            mails.add(read(m));
        }
        return mails;
    }

    /** The latest message that matches, once it arrived; empty if none did within {@code timeout} (or if interrupted). */
    public Optional<Mail> await(Predicate<Mail> wanted, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            List<Mail> mails = received();
            for (int i = mails.size() - 1; i >= 0; i--) {
                if (wanted.test(mails.get(i))) {
                    return Optional.of(mails.get(i));
                }
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return Optional.empty();
            }
            // returns as soon as one more message arrived, or after the wait
            server.waitForIncomingEmail(Math.max(1, Math.min(Duration.ofNanos(left).toMillis(), 250)), mails.size() + 1);
            if (Thread.currentThread().isInterrupted()) {
                return Optional.empty();
            }
        }
    }

    private static Mail read(MimeMessage m) {
        try {
            List<String> to = m.getAllRecipients() == null ? List.of()
                    : Arrays.stream(m.getAllRecipients()).map(DemoMailbox::address).toList();
            Address[] from = m.getFrom();
            return new Mail(m.getMessageID(), from == null || from.length == 0 ? null : address(from[0]), to, m.getSubject(),
                    m.getSentDate() == null ? null : m.getSentDate().toInstant(), text(m));
        } catch (MessagingException | IOException e) {
            throw new IllegalStateException("cannot read a message the demo's mailbox received: " + e.getMessage(), e);
        }
    }

    private static String address(Address a) {
        return a instanceof InternetAddress ia ? ia.getAddress() : a.toString();
    }

    /** The first text/plain part, decoded (transfer encoding and charset); null if there is none. */
    private static String text(Part part) throws MessagingException, IOException {
        if (part.isMimeType("text/plain")) {
            return part.getContent().toString();
        }
        if (part.isMimeType("multipart/*") && part.getContent() instanceof Multipart multipart) {
            for (int i = 0; i < multipart.getCount(); i++) {
                BodyPart p = multipart.getBodyPart(i);
                String text = text(p);
                if (text != null) {
                    return text;
                }
            }
        }
        return null;
    }

    @Override
    public void close() {
        server.stop();
    }

    @Override
    public String toString() {
        return "smtp://" + HOST + ":" + port();
    }
}
