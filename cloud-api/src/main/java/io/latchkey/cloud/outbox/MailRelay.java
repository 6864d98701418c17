package io.latchkey.cloud.outbox;

/**
 * Where messages are delivered: an SMTP relay ({@code outbox.smtp.SmtpRelay}) when
 * {@code latchkey.mail.smtp.host} is set. Without one, messages only stay in the {@link FileOutbox}.
 */
public interface MailRelay {

    /**
     * Opens one session with the relay for a batch of messages.
     *
     * @throws RelayUnavailableException if the relay cannot be reached, TLS cannot be set up or sign-in fails
     */
    Connection open();

    /** A session with the relay; one message at a time. */
    interface Connection extends AutoCloseable {

        /**
         * Hands one message to the relay; returns when the relay has accepted it (a 2xx after the data).
         *
         * @throws MessageRefusedException   if the relay refused this message (5xx for good, 4xx for now)
         * @throws RelayUnavailableException if the session broke; whether the relay took the message is unknown
         */
        void deliver(String tenant, OutboxMessage message);

        @Override
        void close();
    }

    /** For the start-up log line: host, port and TLS mode, no credentials. */
    String describe();
}
